/**
 * Identities CleverTap refused, per sync, kept apart from the snapshots: the committed snapshot
 * says who is in the cohort, this record says whose profile CleverTap does not hold yet. Later runs
 * send these again until CleverTap takes them or they leave the cohort.
 */
import { z } from 'zod';
import type { StoredItem } from '../storage/items';
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

async function readRejected(item: StoredItem<unknown>): Promise<RejectedIdentities> {
  const parsed = RejectedSchema.safeParse(await item.getValue());
  return parsed.success ? parsed.data : {};
}

const writeChains = new WeakMap<object, Promise<unknown>>();
/**
 * The record as last read or written, per item: the worker is its only writer, and every upload
 * folds its answer in, so without this each batch would cost a storage read and write even when
 * nothing was refused.
 */
const known = new WeakMap<object, RejectedIdentities>();

async function currentRejected(item: StoredItem<unknown>): Promise<RejectedIdentities> {
  const cached = known.get(item);
  if (cached) return cached;
  const value = await readRejected(item);
  known.set(item, value);
  return value;
}

/** Serialised read-modify-write, as concurrent batches report at once; a change that returns the same record writes nothing. */
function updateRejected(
  item: StoredItem<unknown>,
  change: (current: RejectedIdentities) => RejectedIdentities,
): Promise<RejectedIdentities> {
  const next = (writeChains.get(item) ?? Promise.resolve()).then(async () => {
    const current = await currentRejected(item);
    const updated = change(current);
    if (updated === current) return current;
    known.delete(item);
    if (Object.keys(updated).length === 0) await item.removeValue();
    else await item.setValue(updated);
    known.set(item, updated);
    return updated;
  });
  writeChains.set(item, next.catch(() => undefined));
  return next;
}

/** The store of one sync, as the delivery phase uses it. */
export function rejectedStore(item: StoredItem<unknown>): RejectedStore {
  return { read: () => updateRejected(item, (current) => current), update: (change) => updateRejected(item, change) };
}

export function forgetRejected(item: StoredItem<unknown>): Promise<unknown> {
  return updateRejected(item, () => ({}));
}
