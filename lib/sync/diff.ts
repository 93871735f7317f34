/**
 * The diff between a run's staged snapshot and the last committed one: who joined the cohort and
 * who left. Both snapshots are stored in the same hash buckets, so the diff is a set difference
 * per bucket, one bucket's members in memory at a time.
 */
import { identityHash, SortedHashes } from '../storage/identity-hash';
import {
  finishStaging,
  getEarlyAdds,
  loadSnapshotHashes,
  openChangeWriter,
  readSnapshotBucket,
  saveSnapshotHashes,
  SNAPSHOT_BUCKETS,
  type Member,
} from '../storage/snapshots';

interface SortedDiff {
  added: Member[];
  removed: Member[];
}

/**
 * Members of `staged` not in `committed` (added) and of `committed` not in `staged` (removed).
 * Both lists must be sorted by identity; a repeated identity counts once.
 */
export function diffSorted(staged: readonly Member[], committed: readonly Member[]): SortedDiff {
  const added: Member[] = [];
  const removed: Member[] = [];
  let i = 0;
  let j = 0;
  while (i < staged.length || j < committed.length) {
    const a = staged[i];
    const b = committed[j];
    if (b === undefined || (a !== undefined && a.identity < b.identity)) {
      if (added.at(-1)?.identity !== a!.identity) added.push(a!);
      i++;
    } else if (a === undefined || b.identity < a.identity) {
      if (removed.at(-1)?.identity !== b.identity) removed.push(b);
      j++;
    } else {
      // Equal: skip every copy of this identity on both sides.
      const identity = a.identity;
      while (staged[i]?.identity === identity) i++;
      while (committed[j]?.identity === identity) j++;
    }
  }
  return { added, removed };
}

/**
 * Records the run's added and removed members in numbered change chunks (one chunk, one upload
 * batch). Adds streamed during the read (members whose hash the committed snapshot lacks) are
 * already chunks 0 … n − 1: the diff keeps them and adds only the rest, continuing their numbering.
 * A first export with a stream has nothing else to find, so it reads no bucket.
 * Re-running it replaces its own result, so a worker stopped mid-diff starts over.
 * It also saves the staged snapshot's hashes, for the next run's early adds.
 */
export async function diffSnapshots(
  runId: string,
  staged: string,
  committed: string | undefined,
): Promise<{ added: number; removed: number }> {
  const hashes = await finishStaging(staged);
  const early = await getEarlyAdds(staged);
  const writer = await openChangeWriter(runId, early);
  if (committed || !early) {
    const before = committed ? await loadSnapshotHashes(committed) : new SortedHashes(new Float64Array());
    for (let bucket = 0; bucket < SNAPSHOT_BUCKETS; bucket++) {
      const [now, then] = await Promise.all([
        readSnapshotBucket(staged, bucket),
        committed ? readSnapshotBucket(committed, bucket) : Promise.resolve([]),
      ]);
      const { added, removed } = diffSorted(now, then);
      // With an early stream, an added member whose hash the committed snapshot lacks is in it already.
      const late = early ? added.filter((member) => before.has(identityHash(member.identity))) : added;
      await writer.write('add', late);
      await writer.write('remove', removed);
    }
  }
  await saveSnapshotHashes(staged, hashes);
  return writer.close();
}
