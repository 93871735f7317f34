/**
 * Phase 1 of a run: read every member of the cohort from Mixpanel, classify each profile and
 * stage the exportable ones, checkpointing after every page.
 */
import { ApiError } from '../http/errors';
import { StagingWindow, type EngagePage, type MixpanelClient } from '../mixpanel/client';
import { EMPTY_COUNTS, saveRun, type ActiveRun } from '../storage/runs';
import { deleteSnapshot, queuePage, type Member, type QueuedPage } from '../storage/snapshots';
import type { SkipCounts } from '../storage/schema';
import { classifyProfile, OUTPUT_PROPERTIES } from './classify';

/** An expired engage session restarts the read from page 0; after this many, the run fails. */
const MAX_READ_RESTARTS = 3;

interface ReadContext {
  mixpanel: MixpanelClient;
  cohortId: number;
  signal: AbortSignal;
  now?: () => number;
  /** Mixpanel requests made since the last call: folded into the checkpoint. */
  takeQueries: () => number;
  onPage: (run: ActiveRun) => Promise<void>;
  /** The members each page stored (duplicates left out), once durable; `onRestart` when a restarted read drops them all. */
  onStaged?: (members: readonly Member[]) => void;
  onRestart?: () => void;
}

export async function readCohort(start: ActiveRun, ctx: ReadContext): Promise<ActiveRun> {
  let run = start;
  for (;;) {
    try {
      // Each page is prepared and queued while the one before it commits; progress is reported
      // only for what is durable.
      let queued: QueuedPage | undefined;
      // A page keeps its query slot until it is durable: a worker stopped at any instant loses at
      // most the concurrency's worth of pages.
      const staging = new StagingWindow();
      const settle = async () => {
        if (!queued) return;
        const page = queued;
        queued = undefined;
        await page.durable;
        await ctx.onPage(page.checkpoint);
      };
      try {
        for await (const page of ctx.mixpanel.engagePages({
          cohortId: ctx.cohortId,
          outputProperties: OUTPUT_PROPERTIES,
          resume: resumePoint(run),
          signal: ctx.signal,
          window: staging,
        })) {
          // The pager has just asked for the next page: let its request go out before this page's CPU work.
          await letPendingChainsRun();
          const next = await queueEngagePage(run, page, ctx.takeQueries(), ctx.onStaged);
          const release = () => staging.release();
          next.durable.then(release, release);
          await settle();
          queued = next;
          run = next.checkpoint;
        }
        await settle();
      } finally {
        // Nothing of this read may still be committing when it restarts or gives up.
        await queued?.durable.catch(() => undefined);
      }
      // A read that ends before page 0's total (an expired session may answer `200 []`) is not the
      // whole cohort: treating it as one would remove everyone not yet read.
      const shortBy = shortfall(run);
      if (shortBy === 0) break;
      throw new ApiError(
        'mixpanel',
        'session-expired',
        `Mixpanel's answer for cohort ${ctx.cohortId} ended after ${run.counts.read.toLocaleString('en-US')} of ${run.read.total.toLocaleString('en-US')} profiles; nobody was removed and the read starts again.`,
      );
    } catch (error) {
      const expired = error instanceof ApiError && error.kind === 'session-expired';
      if (!expired) throw error;
      // The session's snapshot of the cohort is gone: start over, from a clean stage.
      const exhausted = run.read.restarts >= MAX_READ_RESTARTS;
      run = await restartRead(run, exhausted ? 0 : run.read.restarts + 1);
      ctx.onRestart?.();
      // A later retry starts a fresh session rather than resuming the dead one.
      if (exhausted) {
        throw new ApiError(
          'mixpanel',
          'session-expired',
          `Mixpanel's paging session for cohort ${ctx.cohortId} kept expiring or ending early during the read (${MAX_READ_RESTARTS} restarts); nobody was removed and the run is tried again later.`,
          error.status,
        );
      }
    }
  }
  run = { ...run, phase: 'diffing', readAt: (ctx.now ?? Date.now)(), mixpanelQueries: run.mixpanelQueries + ctx.takeQueries() };
  await saveRun(run);
  return run;
}

/**
 * Profiles missing from a finished read, against page 0's `total`. Mixpanel fixes a session's
 * membership at page 0, so the two should agree; a hair of slack keeps a total that counts
 * differently by a profile or two from failing every run.
 */
function shortfall(run: ActiveRun): number {
  const missing = run.read.total - run.counts.read;
  const tolerance = Math.floor(run.read.total * READ_TOLERANCE);
  return missing > tolerance ? missing : 0;
}

/**
 * Lets promise chains already under way (the next page's request passing the query budget's gate
 * on its way to fetch) run before this page's synchronous work: a few turns of the microtask
 * queue, not a task, which would wait behind every response and IndexedDB event queued.
 */
async function letPendingChainsRun(): Promise<void> {
  for (let turn = 0; turn < 32; turn++) await Promise.resolve();
}

/** Share of page 0's total a read may fall short by (0.1 %). */
const READ_TOLERANCE = 0.001;

async function restartRead(run: ActiveRun, restarts: number): Promise<ActiveRun> {
  await deleteSnapshot(run.snapshot);
  const next: ActiveRun = {
    ...run,
    read: { nextPage: 0, pageSize: 0, total: 0, restarts },
    counts: structuredClone(EMPTY_COUNTS),
  };
  await saveRun(next);
  return next;
}

function resumePoint(run: ActiveRun) {
  const { sessionId, nextPage, pageSize, total } = run.read;
  return sessionId && nextPage > 0 ? { sessionId, nextPage, pageSize, total } : undefined;
}

function queueEngagePage(
  run: ActiveRun,
  page: EngagePage,
  queries: number,
  onStaged?: (members: readonly Member[]) => void,
): Promise<QueuedPage> {
  const members: Member[] = [];
  const skipped: SkipCounts = { ...run.counts.skipped };
  for (const profile of page.profiles) {
    const outcome = classifyProfile(profile.distinctId, profile.properties);
    if ('member' in outcome) members.push(outcome.member);
    else skipped[outcome.skip]++;
  }
  return queuePage(run.snapshot, members, (duplicates) => ({
    ...run,
    read: { ...run.read, sessionId: page.sessionId, nextPage: page.page + 1, pageSize: page.pageSize, total: page.total },
    counts: {
      ...run.counts,
      read: run.counts.read + page.profiles.length,
      exported: run.counts.exported + members.length - duplicates,
      skipped: { ...skipped, duplicateId: skipped.duplicateId + duplicates },
    },
    mixpanelQueries: run.mixpanelQueries + queries,
  }), onStaged);
}
