/**
 * The diff between a run's staged snapshot and the last committed one: who joined the cohort and
 * who left. Both snapshots are stored in the same hash buckets, so the diff is a set difference
 * per bucket, one bucket's members in memory at a time.
 */
import {
  endStaging,
  openChangeWriter,
  readSnapshotBucket,
  SNAPSHOT_BUCKETS,
  type Member,
} from '../storage/snapshots';

export interface SortedDiff {
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
 * batch). Re-running it replaces the previous result, so a worker stopped mid-diff starts over.
 */
export async function diffSnapshots(
  runId: string,
  staged: string,
  committed: string | undefined,
): Promise<{ added: number; removed: number }> {
  // The read is complete: its duplicate-detection hashes are no longer needed.
  await endStaging(staged);
  const writer = await openChangeWriter(runId);
  for (let bucket = 0; bucket < SNAPSHOT_BUCKETS; bucket++) {
    const [now, before] = await Promise.all([
      readSnapshotBucket(staged, bucket),
      committed ? readSnapshotBucket(committed, bucket) : Promise.resolve([]),
    ]);
    const { added, removed } = diffSorted(now, before);
    await writer.write('add', added);
    await writer.write('remove', removed);
  }
  return writer.close();
}
