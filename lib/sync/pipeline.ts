/**
 * Upserts, while the read goes on, the profiles of staged members who are not in the committed
 * snapshot, in full batches of 1000 as the early-add stream fills them (lib/storage/snapshots.ts).
 * An upsert adds no one to a custom-list segment and removes no one, so the rules that wait for the
 * complete read (removals, the safety brake, the list replacement) are untouched. A batch that
 * fails here is simply not filed as sent: the delivery phase sends it.
 * When the read ends the pipeline takes no new batch; the delivery phase starts beside the batches
 * still in flight (both within the run's 15 upload slots), skips the chunks
 * this pipeline took and files them once they are answered.
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
import { coalesced, type Slots } from '../http/concurrency';
import { addRecord, LANES, uploadTracked } from './deliver';
import type { RejectedStore } from './rejected-record';

interface EarlyUpsertContext {
  clevertap: CleverTapClient;
  settings: Settings;
  cohortName: string;
  signal: AbortSignal;
  /** Refused identities go here as in the delivery phase, so later runs send them again. */
  rejected: RejectedStore;
  takeRequests: () => number;
  /**
   * The run's 15 upload slots, shared with the delivery phase. A batch holds its slot until it is
   * filed, so uploads in flight plus uploads not yet on record stay within 15: within CleverTap's
   * concurrency, and what a worker stop can cost in batches sent again.
   */
  uploadSlots: Slots;
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
  // Uploaded but not yet filed: filed together, one transaction per write.
  const unfiled: EarlyBatch[] = [];
  let streamId = '';
  const fileUnfiled = coalesced(() => recordEarlyBatches(run.snapshot, streamId, unfiled.splice(0)));
  let ready = 0;
  let next = 0;
  let stopped = false;
  let sent = new Set<number>();

  const file = (batch: EarlyBatch): Promise<void> => {
    unfiled.push(batch);
    // Not fatal: a batch left unfiled is sent again by the delivery phase.
    return fileUnfiled().catch(() => undefined);
  };
  const send = async (chunk: number) => {
    // Read before taking a slot, so a slot is held only for the upload and its filing.
    const members = await readChangeChunk(run.runId, 'add', chunk);
    if (members.length === 0) return;
    await ctx.uploadSlots.run(async () => {
      const result = await uploadTracked(ctx, members.map(toRecord));
      await file({ chunk, rejected: result.rejected, requests: ctx.takeRequests() });
    });
  };
  const pump = () => {
    while (!stopped && inFlight.size < LANES && next < ready) {
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
    streamId = stream.streamId ?? '';
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
      })();
      return { claimed, drained };
    },
  };
}
