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
  recordEarlyBatches,
  startEarlyAdds,
  stopEarlyAdds,
  type EarlyBatch,
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

/** What the upserts during the read leave to the delivery phase once the read is over. */
export interface EarlyHandOver {
  /** Chunks this pipeline took (sent, in flight, or filed by an earlier worker): the delivery phase skips them. */
  claimed: ReadonlySet<number>;
  /** Settles when the batches in flight are answered and filed. */
  drained: Promise<void>;
}

interface EarlyUpserts {
  /** Takes no new batch; those in flight go on while the delivery phase starts. */
  stop(): EarlyHandOver;
}

export async function startEarlyUpserts(run: ActiveRun, ctx: EarlyUpsertContext): Promise<EarlyUpserts> {
  const committed = await getCommitted(run.syncId);
  const hashes = committed ? await loadSnapshotHashes(committed.snapshot) : new SortedHashes(new Float64Array());
  const toRecord = addRecord(ctx.settings, ctx.cohortName);
  const inFlight = new Set<Promise<void>>();
  // Uploaded but not yet filed: filed together, in one transaction per turn of the chain.
  const unfiled: EarlyBatch[] = [];
  let filing: Promise<void> = Promise.resolve();
  let ready = 0;
  let next = 0;
  let stopped = false;
  let sent = new Set<number>();

  const file = (batch: EarlyBatch) => {
    unfiled.push(batch);
    filing = filing
      .then(() => (unfiled.length > 0 ? recordEarlyBatches(run.snapshot, unfiled.splice(0)) : undefined))
      // Not fatal: a batch left unfiled is sent again by the delivery phase.
      .catch(() => undefined)
      .finally(pump);
  };
  const send = async (chunk: number) => {
    const members = await readChangeChunk(run.runId, 'add', chunk);
    if (members.length === 0) return;
    const result = await uploadTracked(ctx, members.map(toRecord));
    file({ chunk, rejected: result.rejected, requests: ctx.takeRequests() });
  };
  // Uploads in flight plus uploads not yet filed stay within CleverTap's 15: a worker stop then
  // costs at most 15 batches sent again.
  const pump = () => {
    while (!stopped && inFlight.size + unfiled.length < UPLOAD_CONCURRENCY && next < ready) {
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
    stop() {
      stopEarlyAdds(run.snapshot);
      stopped = true;
      const claimed = new Set([...sent, ...Array(next).keys()]);
      const drained = (async () => {
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        await filing;
      })();
      return { claimed, drained };
    },
  };
}
