/**
 * Run progress, kept apart from the app state under `progress:<syncId>` in storage.session
 * (in memory, gone after a browser restart, which is right for progress): a tick writes one
 * small record instead of the whole state. The engine removes a record when its run ends or
 * leaves the queue.
 */
import { z } from 'zod';
import type { AppState, Sync, SyncStatus } from './schema';

export const PROGRESS_KEY_PREFIX = 'progress:';
export const progressKey = (syncId: string) => `${PROGRESS_KEY_PREFIX}${syncId}`;

export const RunProgressSchema = z.discriminatedUnion('kind', [
  z.object({
    syncId: z.string(),
    kind: z.literal('running'),
    phase: z.enum(['reading', 'delivering']),
    done: z.number(),
    total: z.number(),
    /** Epoch ms when the run is expected to finish. */
    etaAt: z.number().optional(),
    updatedAt: z.number(),
  }),
  z.object({
    syncId: z.string(),
    kind: z.literal('queued'),
    /** 1 = next. */
    place: z.number().int().positive(),
    /** Epoch ms when this sync's run is expected to start. */
    etaAt: z.number().optional(),
    updatedAt: z.number(),
  }),
]);
export type RunProgress = z.infer<typeof RunProgressSchema>;

export function parseProgress(raw: unknown): RunProgress | undefined {
  const parsed = RunProgressSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** A running sync's status as pages show it: the app state's status with its live progress. */
export type SyncStatusView =
  | Exclude<SyncStatus, { state: 'running' }>
  | { state: 'running'; phase: 'reading' | 'delivering'; done: number; total: number; etaAt?: number };
export type SyncView = Omit<Sync, 'status'> & { status: SyncStatusView };
export type AppStateView = Omit<AppState, 'syncs'> & { syncs: SyncView[] };

/**
 * The pages' state: the app state with each running sync's progress folded into its status
 * (a running sync without a record yet shows "reading, 0 of 0").
 */
export function withProgress(state: AppState, records: readonly RunProgress[]): AppStateView {
  const running = new Map(records.flatMap((record) => (record.kind === 'running' ? [[record.syncId, record]] : [])));
  return {
    ...state,
    syncs: state.syncs.map((sync): SyncView => {
      if (sync.status.state !== 'running') return { ...sync, status: sync.status };
      const record = running.get(sync.id);
      const { phase, done, total, etaAt } = record ?? { phase: 'reading' as const, done: 0, total: 0, etaAt: undefined };
      return { ...sync, status: { state: 'running', phase, done, total, ...(etaAt === undefined ? {} : { etaAt }) } };
    }),
  };
}
