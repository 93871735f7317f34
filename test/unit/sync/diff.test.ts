import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { resetDbHandle } from '../../../lib/storage/db';
import { identityHash, HashSet52 } from '../../../lib/storage/identity-hash';
import { getActiveRun, newRun, type ActiveRun } from '../../../lib/storage/runs';
import { allChanges, commitRun, finishStaging, stagePage, type Member } from '../../../lib/storage/snapshots';
import { diffSnapshots, diffSorted } from '../../../lib/sync/diff';
import { summarize } from '../../../lib/sync/run';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  resetDbHandle();
});

/** A seeded generator, so a failure names a case that can be run again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state / 2 ** 32;
  };
}

const member = (identity: string): Member => ({ identity, distinctId: `d-${identity}`, profile: { Name: identity } });
const byId = (a: Member, b: Member) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0);

/** Pages of identities drawn from a pool of `pool`, so pages repeat identities within and across. */
function randomPages(next: () => number, pages: number, pageSize: number, pool: number): string[][] {
  return Array.from({ length: pages }, () =>
    Array.from({ length: Math.floor(next() * pageSize) }, () => `u${Math.floor(next() * pool)}`),
  );
}

async function stageRun(run: ActiveRun, pages: string[][]): Promise<ActiveRun> {
  let current = run;
  for (const page of pages) {
    const before = current;
    current = await stagePage(run.snapshot, page.map(member), (duplicates) => ({
      ...before,
      read: { ...before.read, nextPage: before.read.nextPage + 1 },
      counts: {
        ...before.counts,
        exported: before.counts.exported + page.length - duplicates,
        skipped: { ...before.counts.skipped, duplicateId: before.counts.skipped.duplicateId + duplicates },
      },
    }));
  }
  return current;
}

async function changesOf(runId: string): Promise<{ add: string[]; remove: string[] }> {
  const out = { add: [] as string[], remove: [] as string[] };
  for await (const batch of allChanges(runId)) for (const change of batch) out[change.op].push(change.identity);
  return { add: out.add.sort(), remove: out.remove.sort() };
}

describe('diffSorted', () => {
  it('is the exact set difference of two sorted lists with repeats, on random cases', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      const pool = 1 + Math.floor(next() * 60);
      const draw = () => Array.from({ length: Math.floor(next() * 80) }, () => member(`u${Math.floor(next() * pool)}`));
      const staged = draw().sort(byId);
      const committed = draw().sort(byId);
      const inStaged = new Set(staged.map((m) => m.identity));
      const inCommitted = new Set(committed.map((m) => m.identity));
      const { added, removed } = diffSorted(staged, committed);
      expect(added.map((m) => m.identity), `seed ${seed}`).toEqual([...inStaged].filter((id) => !inCommitted.has(id)).sort());
      expect(removed.map((m) => m.identity), `seed ${seed}`).toEqual([...inCommitted].filter((id) => !inStaged.has(id)).sort());
    }
  });
});

describe('chunked snapshots', () => {
  it('stage, diff and commit exactly against a reference, with duplicates within and across pages', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const next = random(seed * 7919);
      const pool = 200 + Math.floor(next() * 3000);
      const syncId = `1:${seed}`;
      const firstPages = randomPages(next, 1 + Math.floor(next() * 8), 700, pool);
      const first = await stageRun(newRun(syncId, 'start', seed), firstPages);
      const firstSet = new Set(firstPages.flat());
      expect(first.counts.exported, `seed ${seed}`).toBe(firstSet.size);
      expect(first.counts.skipped.duplicateId, `seed ${seed}`).toBe(firstPages.flat().length - firstSet.size);
      expect(await diffSnapshots(first.runId, first.snapshot, undefined)).toEqual({ added: firstSet.size, removed: 0 });
      expect((await changesOf(first.runId)).add).toEqual([...firstSet].sort());
      await commitRun(first, summarize(first, 'synced', seed + 1), firstSet.size, 10);

      const secondPages = randomPages(next, 1 + Math.floor(next() * 8), 700, pool);
      const second = await stageRun(newRun(syncId, 'schedule', seed + 2), secondPages);
      const secondSet = new Set(secondPages.flat());
      expect(second.counts.exported, `seed ${seed}`).toBe(secondSet.size);
      const expected = {
        add: [...secondSet].filter((id) => !firstSet.has(id)).sort(),
        remove: [...firstSet].filter((id) => !secondSet.has(id)).sort(),
      };
      expect(await diffSnapshots(second.runId, second.snapshot, first.snapshot)).toEqual({
        added: expected.add.length,
        removed: expected.remove.length,
      });
      expect(await changesOf(second.runId), `seed ${seed}`).toEqual(expected);
    }
  });

  it('still finds duplicates of earlier pages after the staging memory is lost (a worker restart)', async () => {
    const run = newRun('1:99', 'start', 1);
    const afterFirst = await stageRun(run, [['a', 'b', 'c']]);
    await finishStaging(run.snapshot);
    resetDbHandle();
    const resumed = (await getActiveRun('1:99'))!;
    expect(resumed.counts.exported).toBe(afterFirst.counts.exported);
    const afterSecond = await stageRun(resumed, [['c', 'd', 'a', 'd']]);
    expect(afterSecond.counts.exported).toBe(4);
    expect(afterSecond.counts.skipped.duplicateId).toBe(3);
  });
});

describe('HashSet52', () => {
  it('holds exactly the hashes added, through growth', () => {
    const set = new HashSet52(4);
    const hashes = Array.from({ length: 5000 }, (_, i) => identityHash(`id-${i}`));
    hashes.forEach((hash, i) => i % 2 === 0 && set.add(hash));
    expect(set.size).toBe(2500);
    expect(hashes.filter((hash) => set.has(hash)).length).toBe(2500);
    expect(hashes.every((hash, i) => set.has(hash) === (i % 2 === 0))).toBe(true);
    expect(new Set(hashes).size).toBe(5000);
  });
});
