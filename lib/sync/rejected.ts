/**
 * Identities CleverTap refused, per sync, kept apart from the snapshots: the committed snapshot
 * says who is in the cohort, this record says whose profile CleverTap does not hold yet. Later runs
 * send these again until CleverTap takes them or they leave the cohort.
 */
import browser from 'webextension-polyfill';
import { z } from 'zod';

/** Enough to send the record again; capped so a broken account cannot fill storage. */
export const MAX_REJECTED_PER_SYNC = 10_000;

const RejectedSchema = z.record(
  z.string(),
  z.object({
    failures: z.number().int().positive(),
    code: z.number(),
    error: z.string(),
    profile: z.record(z.string(), z.unknown()),
  }),
);
export type RejectedIdentities = z.infer<typeof RejectedSchema>;

const key = (syncId: string) => `rejected:${syncId}`;

export async function readRejected(syncId: string): Promise<RejectedIdentities> {
  const stored = await browser.storage.local.get(key(syncId));
  const parsed = RejectedSchema.safeParse(stored[key(syncId)]);
  return parsed.success ? parsed.data : {};
}

let writeChain: Promise<unknown> = Promise.resolve();

/** Serialised read-modify-write, as concurrent batches report at once. */
export function updateRejected(syncId: string, change: (current: RejectedIdentities) => RejectedIdentities): Promise<RejectedIdentities> {
  const next = writeChain.then(async () => {
    const updated = change(await readRejected(syncId));
    if (Object.keys(updated).length === 0) await browser.storage.local.remove(key(syncId));
    else await browser.storage.local.set({ [key(syncId)]: updated });
    return updated;
  });
  writeChain = next.catch(() => undefined);
  return next;
}

/** Folds one batch's answer in: refused identities count one more failure, accepted ones are forgotten. */
export function recordOutcome(
  current: RejectedIdentities,
  sent: readonly { identity: string; profileData: Record<string, unknown> }[],
  refused: readonly { identity: string; code: number; error: string }[],
): RejectedIdentities {
  const next = { ...current };
  const refusedBy = new Map(refused.map((rejection) => [rejection.identity, rejection]));
  for (const record of sent) {
    const rejection = refusedBy.get(record.identity);
    if (!rejection) {
      delete next[record.identity];
      continue;
    }
    const known = next[record.identity];
    if (!known && Object.keys(next).length >= MAX_REJECTED_PER_SYNC) continue;
    next[record.identity] = {
      failures: (known?.failures ?? 0) + 1,
      code: rejection.code,
      error: rejection.error,
      profile: record.profileData,
    };
  }
  return next;
}

export function forgetRejected(syncId: string): Promise<unknown> {
  return updateRejected(syncId, () => ({}));
}
