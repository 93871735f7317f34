/**
 * One sync run, as a resumable state machine: read → diff → (review) → deliver → commit.
 * Each phase starts from the checkpoint the previous one saved, so calling `executeRun` again
 * on an interrupted run picks up exactly where it stopped.
 */
import type { CleverTapClient } from '../clevertap/client';
import type { MixpanelClient } from '../mixpanel/client';
import { MAX_KEPT_REJECTIONS, saveRun, type ActiveRun } from '../storage/runs';
import type { RunSummary, Settings, Sync } from '../storage/schema';
import { commitRun, deleteSnapshot, getCommitted } from '../storage/snapshots';
import { brakeReason } from './brake';
import { addStepName, deliver, segmentName } from './deliver';
import { diffSnapshots } from './diff';
import { startEarlyUpserts } from './pipeline';
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
  if (run.phase === 'reading') {
    // New members' profiles are upserted while the read goes on; everything else waits for it.
    const early = await startEarlyUpserts(run, {
      ...ctx,
      cohortName: ctx.sync.cohortName,
      rejected: ctx.rejected,
    });
    try {
      run = await readCohort(run, {
        mixpanel: ctx.mixpanel,
        cohortId: ctx.sync.cohortId,
        signal: ctx.signal,
        now: ctx.now,
        takeQueries: ctx.takeQueries,
        onPage: (current) => ctx.onProgress(current, current.counts.read, Math.max(current.read.total, current.counts.read)),
      });
    } finally {
      await early.finish();
    }
  }
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
  const { added, removed, early } = await diffSnapshots(start.runId, start.snapshot, committed?.snapshot);
  let run: ActiveRun = { ...start, counts: { ...start.counts, added, removed } };
  if (early) {
    // The add chunks upserted during the read are the add step's first batches, already sent.
    const step = addStepName(settings);
    run = {
      ...run,
      delivered: { ...run.delivered, [step]: [...new Set([...(run.delivered[step] ?? []), ...early.delivered])] },
      rejections: [...run.rejections, ...early.rejections].slice(0, MAX_KEPT_REJECTIONS),
      counts: { ...run.counts, rejected: run.counts.rejected + early.rejected },
      clevertapRequests: run.clevertapRequests + early.requests,
    };
  }
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
