/**
 * The active run of each sync: its checkpoint. Written in the same IndexedDB transaction as the
 * members it staged, so a worker stopped at any instant resumes with nothing lost or counted twice.
 */
import { z } from 'zod';
import { openIdb, STORES } from './db';
import { RejectionSchema } from '../shapes';
import { RunCountsSchema, RunSummarySchema, type RunCounts, type RunSummary } from './schema';

const ACTIVE_PHASES = ['reading', 'diffing', 'reviewing', 'delivering', 'committing'] as const;

export type { Rejection } from '../shapes';
/** How many rejections a run keeps with their reasons; the count is always complete. */
export const MAX_KEPT_REJECTIONS = 1000;

const ActiveRunSchema = z.object({
  syncId: z.string(),
  runId: z.string(),
  trigger: RunSummarySchema.shape.trigger,
  startedAt: z.number(),
  phase: z.enum(ACTIVE_PHASES),
  /** The IndexedDB snapshot this run stages its members into. */
  snapshot: z.string(),
  read: z.object({
    sessionId: z.string().optional(),
    nextPage: z.number(),
    pageSize: z.number(),
    total: z.number(),
    restarts: z.number(),
  }),
  counts: RunCountsSchema,
  mixpanelQueries: z.number(),
  clevertapRequests: z.number(),
  rejections: z.array(RejectionSchema),
  /** The user confirmed a run the safety brake stopped. */
  approved: z.boolean(),
  /** Delivery steps and the batch numbers each has finished, so a resumed run sends nothing twice. */
  delivered: z.record(z.string(), z.array(z.number())),
  segmentId: z.number().optional(),
  segment: z.enum(['replaced', 'unchanged']).optional(),
  /** When the read finished: a run resumed much later reads the cohort again. */
  readAt: z.number().optional(),
});
export type ActiveRun = z.infer<typeof ActiveRunSchema>;

export const EMPTY_COUNTS: RunCounts = {
  read: 0,
  exported: 0,
  skipped: { missingId: 0, invalidId: 0, duplicateId: 0 },
  added: 0,
  removed: 0,
  rejected: 0,
};

export function newRun(syncId: string, trigger: ActiveRun['trigger'], now: number): ActiveRun {
  const runId = `${syncId}@${now.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return {
    syncId,
    runId,
    trigger,
    startedAt: now,
    phase: 'reading',
    snapshot: runId,
    read: { nextPage: 0, pageSize: 0, total: 0, restarts: 0 },
    counts: structuredClone(EMPTY_COUNTS),
    mixpanelQueries: 0,
    clevertapRequests: 0,
    rejections: [],
    approved: false,
    delivered: {},
  };
}

export async function getActiveRun(syncId: string): Promise<ActiveRun | undefined> {
  const parsed = ActiveRunSchema.safeParse(await (await openIdb()).get(STORES.runs, syncId));
  return parsed.success ? parsed.data : undefined;
}

export async function listActiveRuns(): Promise<ActiveRun[]> {
  const raw = await (await openIdb()).getAll(STORES.runs);
  return raw.flatMap((row) => {
    const parsed = ActiveRunSchema.safeParse(row);
    return parsed.success ? [parsed.data] : [];
  });
}

export async function saveRun(run: ActiveRun): Promise<void> {
  await (await openIdb()).put(STORES.runs, run);
}

export async function listHistory(syncId: string): Promise<RunSummary[]> {
  const db = await openIdb();
  const raw = await db.getAllFromIndex(STORES.history, 'bySync', IDBKeyRange.bound([syncId, 0], [syncId, Infinity]));
  return raw
    .flatMap((row) => {
      const parsed = RunSummarySchema.safeParse(row);
      return parsed.success ? [parsed.data] : [];
    })
    .reverse();
}

export async function getHistoryRun(runId: string): Promise<RunSummary | undefined> {
  const parsed = RunSummarySchema.safeParse(await (await openIdb()).get(STORES.history, runId));
  return parsed.success ? parsed.data : undefined;
}
