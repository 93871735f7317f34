/**
 * Upserts, while the read goes on, the profiles of staged members who are not in the committed
 * snapshot, in full batches of 1000 as the early-add stream fills them (lib/storage/snapshots.ts).
 * An upsert adds no one to a custom-list segment and removes no one, so the rules that wait for the
 * complete read (removals, the safety brake, the list replacement) are untouched. A batch that
 * fails here is simply not filed as sent: the delivery phase sends it.
 */
import type { CleverTapClient } from '../clevertap/client';
import { SortedHashes } from '../storage/identity-hash';
import type { ActiveRun } from '../storage/runs';
import type { Settings } from '../storage/schema';
import {
  getCommitted,
  loadSnapshotHashes,
  readChangeChunk,
  recordEarlyBatch,
  startEarlyAdds,
  stopEarlyAdds,
} from '../storage/snapshots';
import { addRecord, UPLOAD_CONCURRENCY, uploadTracked } from './deliver';
import type { RejectedStore } from './rejected-record';

interface EarlyUpsertContext {
  clevertap: CleverTapClient;
  settings: Settings;
  cohortName: string;
  signal: AbortSignal;
  /** Refused identities go here as in the delivery phase, so later runs send them again. */
  rejected: RejectedStore;
  takeRequests: () => number;
}

interface EarlyUpserts {
  /** Stops taking new batches and waits for those in flight. */
  finish(): Promise<void>;
}

export async function startEarlyUpserts(run: ActiveRun, ctx: EarlyUpsertContext): Promise<EarlyUpserts> {
  const committed = await getCommitted(run.syncId);
  const hashes = committed ? await loadSnapshotHashes(committed.snapshot) : new SortedHashes(new Float64Array());
  const toRecord = addRecord(ctx.settings, ctx.cohortName);
  const inFlight = new Set<Promise<void>>();
  let ready = 0;
  let next = 0;
  let stopped = false;
  let sent = new Set<number>();

  const send = async (chunk: number) => {
    const changes = await readChangeChunk(run.runId, 'add', chunk);
    if (changes.length === 0) return;
    const result = await uploadTracked(ctx, changes.map(toRecord));
    await recordEarlyBatch(run.snapshot, chunk, result.rejected, ctx.takeRequests());
  };
  const pump = () => {
    while (!stopped && inFlight.size < UPLOAD_CONCURRENCY && next < ready) {
      const chunk = next++;
      if (sent.has(chunk)) continue;
      const task: Promise<void> = send(chunk)
        // Not fatal: an unsent batch is sent by the delivery phase, which reports any lasting error.
        .catch(() => {
          stopped = true;
        })
        .finally(() => {
          inFlight.delete(task);
          pump();
        });
      inFlight.add(task);
    }
  };

  const stream = await startEarlyAdds(run, hashes, (chunks) => {
    ready = chunks;
    pump();
  });
  if (stream) {
    sent = new Set(stream.delivered);
    ready = stream.chunks;
    pump();
  }
  return {
    async finish() {
      stopEarlyAdds(run.snapshot);
      stopped = true;
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
