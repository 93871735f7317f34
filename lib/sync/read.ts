/**
 * Phase 1 of a run: read every member of the cohort from Mixpanel, classify each profile and
 * stage the exportable ones, checkpointing after every page.
 */
import { ApiError } from '../http/errors';
import type { EngagePage, MixpanelClient } from '../mixpanel/client';
import { EMPTY_COUNTS, saveRun, type ActiveRun } from '../storage/runs';
import { deleteSnapshot, stagePage, type Member } from '../storage/snapshots';
import type { SkipCounts } from '../storage/schema';
import { classifyProfile, OUTPUT_PROPERTIES } from './classify';

/** An expired engage session restarts the read from page 0; after this many, the run fails. */
const MAX_READ_RESTARTS = 3;

export interface ReadContext {
  mixpanel: MixpanelClient;
  cohortId: number;
  signal: AbortSignal;
  /** Mixpanel requests made since the last call: folded into the checkpoint. */
  takeQueries: () => number;
  onPage: (run: ActiveRun) => Promise<void>;
}

export async function readCohort(start: ActiveRun, ctx: ReadContext): Promise<ActiveRun> {
  let run = start;
  for (;;) {
    try {
      for await (const page of ctx.mixpanel.engagePages({
        cohortId: ctx.cohortId,
        outputProperties: OUTPUT_PROPERTIES,
        resume: resumePoint(run),
        signal: ctx.signal,
      })) {
        run = await stageEngagePage(run, page, ctx.takeQueries());
        await ctx.onPage(run);
      }
      break;
    } catch (error) {
      const expired = error instanceof ApiError && error.kind === 'session-expired';
      if (!expired) throw error;
      // The session's snapshot of the cohort is gone: start over, from a clean stage.
      const exhausted = run.read.restarts >= MAX_READ_RESTARTS;
      run = await restartRead(run, exhausted ? 0 : run.read.restarts + 1);
      // A later retry starts a fresh session rather than resuming the dead one.
      if (exhausted) throw new ApiError('mixpanel', 'session-expired', `Mixpanel's paging session for cohort ${ctx.cohortId} kept expiring during the read (${MAX_READ_RESTARTS} restarts).`, error.status);
    }
  }
  run = { ...run, phase: 'diffing', mixpanelQueries: run.mixpanelQueries + ctx.takeQueries() };
  await saveRun(run);
  return run;
}

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

function stageEngagePage(run: ActiveRun, page: EngagePage, queries: number): Promise<ActiveRun> {
  const members: Member[] = [];
  const skipped: SkipCounts = { ...run.counts.skipped };
  for (const profile of page.profiles) {
    const outcome = classifyProfile(profile.distinctId, profile.properties);
    if ('member' in outcome) members.push(outcome.member);
    else skipped[outcome.skip]++;
  }
  return stagePage(run.snapshot, members, (duplicates) => ({
    ...run,
    read: { ...run.read, sessionId: page.sessionId, nextPage: page.page + 1, pageSize: page.pageSize, total: page.total },
    counts: {
      ...run.counts,
      read: run.counts.read + page.profiles.length,
      exported: run.counts.exported + members.length - duplicates,
      skipped: { ...skipped, duplicateId: skipped.duplicateId + duplicates },
    },
    mixpanelQueries: run.mixpanelQueries + queries,
  }));
}
