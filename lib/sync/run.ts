/**
 * One sync run, as a resumable state machine: read → diff → (review) → deliver → commit.
 * Each phase starts from the checkpoint the previous one saved, so calling `executeRun` again
 * on an interrupted run picks up exactly where it stopped.
 */
import type { CleverTapClient } from '../clevertap/client';
import type { MixpanelClient } from '../mixpanel/client';
import { saveRun, type ActiveRun } from '../storage/runs';
import type { RunSummary, Settings, Sync } from '../storage/schema';
import { commitRun, deleteSnapshot, getCommitted } from '../storage/snapshots';
import { CustomListWriter } from '../clevertap/csv';
import { brakeReason } from './brake';
import { Slots } from '../http/concurrency';
import { deliver, segmentName, UPLOAD_CONCURRENCY } from './deliver';
import { diffSnapshots } from './diff';
import { startEarlyUpserts, type EarlyHandOver } from './pipeline';
import { readCohort } from './read';
import type { RejectedStore } from './rejected-record';
import { rereadIfStale } from './stale';

interface RunContext {
  sync: Sync;
  settings: Settings;
  mixpanel: MixpanelClient;
  clevertap: CleverTapClient;
  signal: AbortSignal;
  now: () => number;
  /** The sync period: a run resumed after waiting longer than this reads the cohort again. */
  periodMs?: number;
  takeQueries: () => number;
  takeRequests: () => number;
  onProgress: (run: ActiveRun, done: number, total: number) => Promise<void>;
  /** The identities CleverTap refused for this sync (lib/sync/rejected.ts). */
  rejected: RejectedStore;
}

type RunResult =
  | { kind: 'committed'; summary: RunSummary }
  | { kind: 'needs-review'; reason: string; removals: number; segmentSize: number };

export async function executeRun(start: ActiveRun, ctx: RunContext): Promise<RunResult> {
  let run = start;
  if (ctx.periodMs !== undefined) run = await rereadIfStale(run, ctx.now(), ctx.periodMs);
  // Upserts still in flight when the read ends go on while the diff and the delivery phase start.
  let early: EarlyHandOver | undefined;
  // The custom-list file, written page by page as the read stages them; a resumed read builds it
  // from the stored snapshot instead.
  let listRows: CustomListWriter | undefined;
  const uploadSlots = new Slots(UPLOAD_CONCURRENCY);
  if (run.phase === 'reading') {
    if (run.read.nextPage === 0 && run.counts.read === 0) listRows = new CustomListWriter();
    // New members' profiles are upserted while the read goes on; everything else waits for it.
    const upserts = await startEarlyUpserts(run, {
      ...ctx,
      cohortName: ctx.sync.cohortName,
      rejected: ctx.rejected,
      uploadSlots,
    });
    try {
      run = await readCohort(run, {
        mixpanel: ctx.mixpanel,
        cohortId: ctx.sync.cohortId,
        signal: ctx.signal,
        now: ctx.now,
        takeQueries: ctx.takeQueries,
        onStaged: (members) => listRows?.add(members.map((member) => member.identity)),
        onRestart: () => {
          if (listRows) listRows = new CustomListWriter();
        },
        onPage: (current) => ctx.onProgress(current, current.counts.read, Math.max(current.read.total, current.counts.read)),
      });
    } catch (error) {
      await upserts.stop().drained;
      throw error;
    }
    early = upserts.stop();
  }
  try {
    return await afterRead(run, ctx, { early, listRows, uploadSlots });
  } finally {
    // Nothing of this run may still be running once it returns.
    await early?.drained;
  }
}

async function afterRead(
  start: ActiveRun,
  ctx: RunContext,
  { early, listRows, uploadSlots }: { early?: EarlyHandOver; listRows?: CustomListWriter; uploadSlots: Slots },
): Promise<RunResult> {
  let run = start;
  if (run.phase === 'diffing') run = await diff(run, ctx.settings);
  if (run.phase === 'reviewing') {
    if (!run.approved) {
      const committed = await getCommitted(run.syncId);
      return {
        kind: 'needs-review',
        reason: brakeReasonFor(run, committed?.size ?? 0, ctx.settings) ?? 'This run needs review.',
        removals: run.counts.removed,
        segmentSize: committed?.size ?? 0,
      };
    }
    run = { ...run, phase: 'delivering' };
    await saveRun(run);
  }
  if (run.phase === 'delivering') {
    run = await deliver(run, {
      clevertap: ctx.clevertap,
      settings: ctx.settings,
      cohortId: ctx.sync.cohortId,
      cohortName: ctx.sync.cohortName,
      segmentName: segmentNameOf(ctx.sync, ctx.settings),
      previous: ctx.sync.lastRun,
      // Only a file holding every staged member: anything else is built from the snapshot.
      ...(listRows?.rows === run.counts.exported ? { listFile: listRows.file() } : {}),
      ...(early ? { early } : {}),
      uploadSlots,
      rejected: ctx.rejected,
      signal: ctx.signal,
      takeRequests: ctx.takeRequests,
      onProgress: ctx.onProgress,
    });
  }
  return { kind: 'committed', summary: await commit(run, ctx) };
}

/** Compares the complete read with the last committed snapshot; only now may anyone be removed. */
async function diff(start: ActiveRun, settings: Settings): Promise<ActiveRun> {
  const committed = await getCommitted(start.syncId);
  const { added, removed } = await diffSnapshots(start.runId, start.snapshot, committed?.snapshot);
  const run: ActiveRun = { ...start, counts: { ...start.counts, added, removed } };
  const mustReview = !run.approved && brakeReasonFor(run, committed?.size ?? 0, settings) !== undefined;
  const next: ActiveRun = { ...run, phase: mustReview ? 'reviewing' : 'delivering' };
  await saveRun(next);
  return next;
}

function brakeReasonFor(run: ActiveRun, committedSize: number, settings: Settings): string | undefined {
  return brakeReason({
    committedSize,
    stagedSize: run.counts.exported,
    removals: run.counts.removed,
    threshold: settings.removalThreshold,
  });
}

async function commit(start: ActiveRun, ctx: RunContext): Promise<RunSummary> {
  const run: ActiveRun = {
    ...start,
    mixpanelQueries: start.mixpanelQueries + ctx.takeQueries(),
    clevertapRequests: start.clevertapRequests + ctx.takeRequests(),
  };
  const summary = { ...summarize(run, 'synced', ctx.now()), segmentName: segmentNameOf(ctx.sync, ctx.settings) };
  const replaced = await commitRun(run, summary, run.counts.exported, ctx.settings.historyLimit);
  if (replaced) await deleteSnapshot(replaced);
  return summary;
}

export function summarize(
  run: ActiveRun,
  outcome: RunSummary['outcome'],
  finishedAt: number,
  reason?: string,
): RunSummary {
  return {
    runId: run.runId,
    syncId: run.syncId,
    trigger: run.trigger,
    startedAt: run.startedAt,
    finishedAt,
    outcome,
    ...(reason ? { reason } : {}),
    counts: run.counts,
    mixpanelQueries: run.mixpanelQueries,
    clevertapRequests: run.clevertapRequests,
    rejections: run.rejections,
    ...(run.segmentId === undefined ? {} : { segmentId: run.segmentId }),
    ...(run.segment === undefined ? {} : { segment: run.segment }),
  };
}

/** The segment stored on the sync; syncs made before names were stored use prefix + cohort name. */
function segmentNameOf(sync: Sync, settings: Settings): string {
  return sync.segmentName ?? segmentName(settings, sync.cohortName);
}
