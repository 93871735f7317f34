/**
 * Storage → the views pages receive (lib/messages.ts). Only what a page shows crosses: a sync's
 * last run goes without its rejections (the history has them), and a running or queued sync's
 * progress comes from its own progress record when there is one.
 */
import type {
  ConnectionsView,
  RunPhase,
  RunRecordView,
  RunSummaryView,
  StateView,
  SyncStatusView,
  SyncView,
} from '../../lib/messages';
import type { AppState, RunSummary, Sync } from '../../lib/storage/schema';

/**
 * A run's progress as the engine keeps it, under `progress:<syncId>` in storage.session: written
 * on every tick, so the synced state itself is written on status changes only.
 */
export type ProgressRecord =
  | { syncId: string; kind: 'running'; phase: 'reading' | 'delivering'; done: number; total: number; etaAt?: number; updatedAt: number }
  | { syncId: string; kind: 'queued'; place: number; etaAt?: number; updatedAt: number };

export const PROGRESS_KEY_PREFIX = 'progress:';

export function toRunSummaryView(run: RunSummary): RunSummaryView {
  const { rejections: _rejections, ...summary } = run;
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

function statusView(status: Sync['status'], progress: ProgressRecord | undefined): SyncStatusView {
  if (progress?.kind === 'running' && RUNNING_OVER.has(status.state)) {
    return withEta({ state: 'running', phase: progress.phase, done: progress.done, total: progress.total }, progress.etaAt);
  }
  if (progress?.kind === 'queued' && QUEUED_OVER.has(status.state)) {
    return withEta({ state: 'queued', place: progress.place }, progress.etaAt);
  }
  switch (status.state) {
    case 'running': {
      // Until every run keeps its progress in a record, the stored status may still carry it.
      const stored: { phase?: RunPhase; done?: number; total?: number; etaAt?: number } = status;
      return withEta(
        { state: 'running', phase: stored.phase ?? 'reading', done: stored.done ?? 0, total: stored.total ?? 0 },
        stored.etaAt,
      );
    }
    case 'paused':
    case 'failed':
      return { state: status.state, reason: status.reason };
    case 'needs-review':
      return { state: 'needs-review', reason: status.reason, removals: status.removals, segmentSize: status.segmentSize };
    default:
      return { state: status.state };
  }
}

export function toSyncView(sync: Sync, progress?: ProgressRecord): SyncView {
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
export function toStateView(state: AppState, progress: readonly ProgressRecord[] = []): StateView {
  const bySync = new Map(progress.map((record) => [record.syncId, record]));
  return {
    connections: toConnectionsView(state.connections),
    settings: state.settings,
    syncs: state.syncs.map((sync) => toSyncView(sync, bySync.get(sync.id))),
  };
}

/** The progress records among `storage.session`'s items; anything else under the prefix is ignored. */
export function progressRecords(items: Record<string, unknown>): ProgressRecord[] {
  return Object.entries(items)
    .filter(([key]) => key.startsWith(PROGRESS_KEY_PREFIX))
    .map(([, value]) => value)
    .filter(isProgressRecord);
}

function isProgressRecord(value: unknown): value is ProgressRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const number = (key: string) => typeof record[key] === 'number' && Number.isFinite(record[key]);
  const eta = record['etaAt'] === undefined || number('etaAt');
  if (typeof record['syncId'] !== 'string' || !number('updatedAt') || !eta) return false;
  if (record['kind'] === 'running') return (record['phase'] === 'reading' || record['phase'] === 'delivering') && number('done') && number('total');
  return record['kind'] === 'queued' && number('place');
}
