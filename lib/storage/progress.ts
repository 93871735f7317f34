/**
 * Run progress, kept apart from the app state under `progress:<syncId>` in storage.session
 * (in memory, gone after a browser restart, which is right for progress): a tick writes one
 * small record instead of the whole state. The engine removes a record when its run ends or
 * leaves the queue.
 */
import { z } from 'zod';

export const PROGRESS_KEY_PREFIX = 'progress:';
export const progressKey = (syncId: string) => `${PROGRESS_KEY_PREFIX}${syncId}`;

const RunProgressSchema = z.discriminatedUnion('kind', [
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
