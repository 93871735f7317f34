/**
 * An export reflects who qualifies when it is made. A run whose read finished more than one sync
 * period ago (the browser was closed, the worker waited for budget) would send a stale membership:
 * it reads the cohort again instead, keeping its trigger and start time.
 */
import { EMPTY_COUNTS, saveRun, type ActiveRun } from '../storage/runs';
import { deleteSnapshot } from '../storage/snapshots';

export function isStale(run: ActiveRun, now: number, periodMs: number): boolean {
  if (run.phase !== 'diffing' && run.phase !== 'delivering') return false;
  if (run.readAt === undefined || now - run.readAt <= periodMs) return false;
  // Once the segment or entry/exit events went out, finishing is right: a re-read would send events twice.
  return !Object.keys(run.delivered).some((step) => step === 'segment' || step.startsWith('events-'));
}

export async function rereadIfStale(run: ActiveRun, now: number, periodMs: number): Promise<ActiveRun> {
  if (!isStale(run, now, periodMs)) return run;
  await deleteSnapshot(run.snapshot);
  const fresh: ActiveRun = {
    ...run,
    phase: 'reading',
    read: { nextPage: 0, pageSize: 0, total: 0, restarts: 0 },
    counts: structuredClone(EMPTY_COUNTS),
    rejections: [],
    // A review approved the old diff, not the one the new read makes.
    approved: false,
    delivered: {},
  };
  delete fresh.readAt;
  delete fresh.segment;
  delete fresh.segmentId;
  await saveRun(fresh);
  return fresh;
}
