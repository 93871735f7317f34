/**
 * Storage → the views pages receive (lib/messages.ts). Only what a page shows crosses: a sync's
 * last run goes without its rejections (the history has them), and a running or queued sync's
 * progress comes from its own progress record when there is one.
 */
import type {
  ConnectionsView,
  RunRecordView,
  RunSummaryView,
  StateView,
  SyncStatusView,
  SyncView,
} from '../../lib/messages';
import type { RunProgress } from '../../lib/storage/progress';
import type { AppState, LastRun, RunSummary, Sync } from '../../lib/storage/schema';

/** A run without its rejections: the app state's last run has none, a history record keeps them. */
export function toRunSummaryView(run: LastRun | RunSummary): RunSummaryView {
  const { rejections: _rejections, ...summary } = run as RunSummary;
  return summary;
}

export function toRunRecordView(run: RunSummary): RunRecordView {
  return { ...toRunSummaryView(run), rejections: run.rejections.map((rejection) => ({ ...rejection })) };
}

const withEta = <T extends object>(view: T, etaAt: number | undefined): T & { etaAt?: number } =>
  etaAt === undefined ? view : { ...view, etaAt };

type StoredState = Sync['status']['state'];

/**
 * Stored states a progress record may speak over: the sync is waiting or working (its stored
 * status may lag the record). A record left behind by a run that paused or waits for review says
 * nothing true, and a running sync is never also queued.
 */
const RUNNING_OVER: ReadonlySet<StoredState> = new Set(['running', 'scheduled', 'synced', 'failed']);
const QUEUED_OVER: ReadonlySet<StoredState> = new Set(['scheduled', 'synced', 'failed']);

function statusView(status: Sync['status'], progress: RunProgress | undefined): SyncStatusView {
  if (progress?.kind === 'running' && RUNNING_OVER.has(status.state)) {
    return withEta({ state: 'running', phase: progress.phase, done: progress.done, total: progress.total }, progress.etaAt);
  }
  if (progress?.kind === 'queued' && QUEUED_OVER.has(status.state)) {
    return withEta({ state: 'queued', place: progress.place }, progress.etaAt);
  }
  switch (status.state) {
    case 'running':
      // The run has started but written no progress yet.
      return { state: 'running', phase: 'reading', done: 0, total: 0 };
    case 'paused':
    case 'failed':
      return { state: status.state, reason: status.reason };
    case 'needs-review':
      return { state: 'needs-review', reason: status.reason, removals: status.removals, segmentSize: status.segmentSize };
    default:
      return { state: status.state };
  }
}

export function toSyncView(sync: Sync, progress?: RunProgress): SyncView {
  const view: SyncView = {
    id: sync.id,
    projectId: sync.projectId,
    cohortId: sync.cohortId,
    cohortName: sync.cohortName,
    type: sync.type,
    createdAt: sync.createdAt,
    status: statusView(sync.status, progress),
  };
  if (sync.lastRun) view.lastRun = toRunSummaryView(sync.lastRun);
  if (sync.nextRunAt !== undefined) view.nextRunAt = sync.nextRunAt;
  if (sync.behindUntil !== undefined) view.behindUntil = sync.behindUntil;
  if (sync.segmentName !== undefined) view.segmentName = sync.segmentName;
  return view;
}

function toConnectionsView({ clevertap, mixpanel }: AppState['connections']): ConnectionsView {
  return { clevertap: clevertap && { ...clevertap }, mixpanel: mixpanel && { ...mixpanel } };
}

/** The one view every page gets, from the stored state and the runs' progress records. */
export function toStateView(state: AppState, progress: readonly RunProgress[] = []): StateView {
  const bySync = new Map(progress.map((record) => [record.syncId, record]));
  return {
    connections: toConnectionsView(state.connections),
    settings: state.settings,
    syncs: state.syncs.map((sync) => toSyncView(sync, bySync.get(sync.id))),
  };
}
