/**
 * Identities CleverTap refused, per sync, kept apart from the snapshots: the committed snapshot
 * says who is in the cohort, this record says whose profile CleverTap does not hold yet. Later runs
 * send these again until CleverTap takes them or they leave the cohort.
 */
import browser from 'webextension-polyfill';
import { z } from 'zod';
import type { RejectedIdentities, RejectedStore } from './rejected-record';

const RejectedSchema = z.record(
  z.string(),
  z.object({
    failures: z.number().int().positive(),
    code: z.number(),
    error: z.string(),
    profile: z.record(z.string(), z.unknown()),
  }),
);

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

/** The store of one sync, as the delivery phase uses it. */
export function rejectedStore(syncId: string): RejectedStore {
  return { read: () => readRejected(syncId), update: (change) => updateRejected(syncId, change) };
}

export function forgetRejected(syncId: string): Promise<unknown> {
  return updateRejected(syncId, () => ({}));
}
