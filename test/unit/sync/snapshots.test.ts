import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { openDb, resetDbHandle, SNAPSHOT_BUCKETS } from '../../../lib/storage/db';
import { bucketOf, identityHash } from '../../../lib/storage/identity-hash';
import { fromColumns, toColumns } from '../../../lib/storage/member-columns';
import { getActiveRun, newRun, saveRun, type ActiveRun } from '../../../lib/storage/runs';
import {
  allChanges,
  commitRun,
  getCommitted,
  getEarlyAdds,
  openChangeWriter,
  queuePage,
  readChangeChunk,
  readSnapshotBucket,
  snapshotIdentities,
  stagePage,
  type Member,
  type QueuedPage,
} from '../../../lib/storage/snapshots';
import { diffSnapshots } from '../../../lib/sync/diff';
import { summarize } from '../../../lib/sync/run';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  resetDbHandle();
});

const member = (identity: string): Member => ({ identity, distinctId: `d-${identity}`, profile: {} });

async function collect(snapshot: string): Promise<string[]> {
  const out: string[] = [];
  for await (const identity of snapshotIdentities(snapshot)) out.push(identity);
  return out.sort();
}

async function stageAll(run: ActiveRun, identities: string[]): Promise<ActiveRun> {
  return stagePage(run.snapshot, identities.map(member), (duplicates) => ({
    ...run,
    counts: {
      ...run.counts,
      exported: run.counts.exported + identities.length - duplicates,
      skipped: { ...run.counts.skipped, duplicateId: run.counts.skipped.duplicateId + duplicates },
    },
  }));
}

describe('staging', () => {
  it('stores each identity once, counts duplicates, and saves the checkpoint with the page', async () => {
    const run = newRun('1:10', 'start', 1000);
    await saveRun(run);
    const after = await stageAll(run, ['b', 'a', 'b', 'c']);
    const again = await stageAll(after, ['c', 'd']);
    expect(await collect(run.snapshot)).toEqual(['a', 'b', 'c', 'd']);
    expect(again.counts.exported).toBe(4);
    expect(again.counts.skipped.duplicateId).toBe(2);
    expect((await getActiveRun('1:10'))?.counts.exported).toBe(4);
  });

  it('saves the checkpoint for an empty page', async () => {
    const run = newRun('1:11', 'start', 1000);
    const after = await stagePage(run.snapshot, [], () => ({ ...run, read: { ...run.read, nextPage: 3 } }));
    expect(after.read.nextPage).toBe(3);
    expect((await getActiveRun('1:11'))?.read.nextPage).toBe(3);
  });
});

describe('diff and commit', () => {
  it('cuts changes into chunks of 1000, and streams identities from the pieces', async () => {
    const identities = Array.from({ length: 2500 }, (_, i) => `id-${String(i).padStart(5, '0')}`);
    const run = await stageAll(newRun('1:14', 'start', 1), identities);
    expect(await diffSnapshots(run.runId, run.snapshot, undefined)).toEqual({ added: 2500, removed: 0 });
    const chunks = await Promise.all([0, 1, 2, 3].map((chunk) => readChangeChunk(run.runId, 'add', chunk)));
    expect(chunks.map((chunk) => chunk.length)).toEqual([1000, 1000, 500, 0]);
    expect(chunks.flat().map((change) => change.identity).sort()).toEqual(identities);
    const read: string[] = [];
    for await (const identity of snapshotIdentities(run.snapshot, 3)) read.push(identity);
    expect(read.sort()).toEqual(identities);
  });

  it('numbers adds and removes, then makes the run the committed snapshot', async () => {
    const first = await stageAll(newRun('1:12', 'start', 1), ['a', 'b', 'c']);
    expect(await diffSnapshots(first.runId, first.snapshot, undefined)).toEqual({ added: 3, removed: 0 });
    await commitRun(first, summarize(first, 'synced', 2), 3, 100);
    expect(await getCommitted('1:12')).toMatchObject({ snapshot: first.snapshot, size: 3 });

    const second = await stageAll(newRun('1:12', 'schedule', 3), ['b', 'd', 'e']);
    const committed = await getCommitted('1:12');
    expect(await diffSnapshots(second.runId, second.snapshot, committed?.snapshot)).toEqual({ added: 2, removed: 2 });
    expect((await readChangeChunk(second.runId, 'add', 0)).map((c) => c.identity).sort()).toEqual(['d', 'e']);
    expect((await readChangeChunk(second.runId, 'remove', 0)).map((c) => c.identity).sort()).toEqual(['a', 'c']);
    expect(await readChangeChunk(second.runId, 'add', 1)).toEqual([]);

    // Re-running the diff (a worker stopped mid-diff) gives the same numbered changes.
    await diffSnapshots(second.runId, second.snapshot, committed?.snapshot);
    const all: string[] = [];
    for await (const batch of allChanges(second.runId)) all.push(...batch.map((c) => `${c.op}:${c.identity}`));
    expect(all.sort()).toEqual(['add:d', 'add:e', 'remove:a', 'remove:c']);

    expect(await commitRun(second, summarize(second, 'synced', 4), 3, 100)).toBe(first.snapshot);
  });

  it('keeps only the newest runs in the history, with their changes', async () => {
    let previous: string | undefined;
    const runIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const run = await stageAll(newRun('1:13', 'schedule', 10 + i), [`u${i}`]);
      await diffSnapshots(run.runId, run.snapshot, previous);
      await commitRun(run, summarize(run, 'synced', 20 + i), 1, 2);
      previous = run.snapshot;
      runIds.push(run.runId);
    }
    const changesOf = async (runId: string) => {
      const out = [];
      for await (const batch of allChanges(runId)) out.push(...batch);
      return out.length;
    };
    expect(await changesOf(runIds[0]!)).toBe(0);
    expect(await changesOf(runIds[3]!)).toBe(2);
  });
});

describe('upgrade from per-member snapshots', () => {
  it('moves every member of every snapshot into bucketed pieces and drops the old store', async () => {
    const old = indexedDB.open('cohort-sync', 2);
    old.onupgradeneeded = () => {
      const db = old.result;
      const members = db.createObjectStore('members', { keyPath: ['snapshot', 'identity'] });
      db.createObjectStore('secrets', { keyPath: 'service' });
      db.createObjectStore('committed', { keyPath: 'syncId' });
      db.createObjectStore('runs', { keyPath: 'syncId' });
      db.createObjectStore('history', { keyPath: 'runId' }).createIndex('bySync', ['syncId', 'startedAt']);
      db.createObjectStore('changes', { keyPath: ['runId', 'op', 'chunk'] });
      for (const snapshot of ['s1', 's2']) {
        for (let i = 0; i < 300; i++) members.put({ snapshot, ...member(`${snapshot}-${i}`) });
      }
    };
    await new Promise<void>((resolve, reject) => {
      old.onsuccess = () => {
        old.result.close();
        resolve();
      };
      old.onerror = () => reject(old.error);
    });
    const expected = (snapshot: string) => Array.from({ length: 300 }, (_, i) => `${snapshot}-${i}`).sort();
    expect(await collect('s1')).toEqual(expected('s1'));
    expect(await collect('s2')).toEqual(expected('s2'));
    expect([...(await openDb()).objectStoreNames]).not.toContain('members');
  });
});

describe('records written before member columns', () => {
  const withProfile = (identity: string): Member => ({
    identity,
    distinctId: `d-${identity}`,
    profile: { Email: `${identity}@example.com`, Name: `Name ${identity}` },
  });

  it('round-trips members, profile fields absent or present, through columns', () => {
    const members = [withProfile('a'), member('b'), { identity: 'c', distinctId: 'd-c', profile: { Phone: '+14155550100' } }];
    expect(fromColumns(toColumns(members))).toEqual(members);
  });

  it('reads pieces, change chunks and an early stream that hold member objects', async () => {
    const db = await openDb();
    const tx = db.transaction(['snapshots', 'changes', 'early'], 'readwrite');
    const old = [withProfile('x1'), withProfile('x2')];
    const bucket = bucketOf(identityHash('x1'), SNAPSHOT_BUCKETS);
    tx.objectStore('snapshots').put({ snapshot: 'old', bucket, piece: 0, members: [old[0]] });
    tx.objectStore('snapshots').put({ snapshot: 'old', bucket: bucketOf(identityHash('x2'), SNAPSHOT_BUCKETS), piece: 1, members: [old[1]] });
    tx.objectStore('changes').put({ runId: 'r-old', op: 'add', chunk: 0, members: old });
    tx.objectStore('early').put({
      snapshot: 'old',
      runId: 'r-old',
      chunks: 1,
      pending: [withProfile('x3')],
      count: 1001,
      delivered: [0],
      rejections: [],
      rejected: 0,
      requests: 1,
    });
    await new Promise((resolve) => (tx.oncomplete = resolve));

    expect(await collect('old')).toEqual(['x1', 'x2']);
    expect(await readSnapshotBucket('old', bucket)).toContainEqual(old[0]);
    expect(await readChangeChunk('r-old', 'add', 0)).toEqual(old.map((m) => ({ ...m, op: 'add' })));
    const chunks: Member[][] = [];
    for await (const rows of allChanges('r-old')) chunks.push(rows);
    expect(chunks.flat().map((m) => m.identity)).toEqual(['x1', 'x2']);
    expect(await getEarlyAdds('old')).toMatchObject({ pending: [withProfile('x3')], delivered: [0], count: 1001 });
  });

  it('writes new pieces and change chunks as columns', async () => {
    const run = newRun('1:12', 'start', 1000);
    await saveRun(run);
    await stageAll(run, ['p', 'q']);
    const writer = await openChangeWriter(run.runId);
    await writer.write('add', [withProfile('p')]);
    await writer.close();
    const db = await openDb();
    const read = db.transaction(['snapshots', 'changes']);
    const pieces = await new Promise<Record<string, unknown>[]>((resolve) => {
      const request = read.objectStore('snapshots').getAll();
      request.onsuccess = () => resolve(request.result);
    });
    const chunk = await new Promise<Record<string, unknown>>((resolve) => {
      const request = read.objectStore('changes').get([run.runId, 'add', 0]);
      request.onsuccess = () => resolve(request.result);
    });
    expect(pieces.every((piece) => 'columns' in piece && !('members' in piece))).toBe(true);
    expect(chunk).toMatchObject({ columns: { identity: ['p'], email: ['p@example.com'], phone: [''] } });
    expect(await readChangeChunk(run.runId, 'add', 0)).toEqual([{ ...withProfile('p'), op: 'add' }]);
  });
});

describe('queued pages', () => {
  const advanceBy = (run: ActiveRun, page: number, identities: string[]) => (duplicates: number): ActiveRun => ({
    ...run,
    read: { ...run.read, nextPage: page + 1 },
    counts: {
      ...run.counts,
      exported: run.counts.exported + identities.length - duplicates,
      skipped: { ...run.counts.skipped, duplicateId: run.counts.skipped.duplicateId + duplicates },
    },
  });

  it('queues a page while the one before commits, finds duplicates across both, and reports each once durable', async () => {
    const run = newRun('1:20', 'start', 1000);
    await saveRun(run);
    const staged: string[][] = [];
    const onStaged = (members: readonly Member[]) => staged.push(members.map((m) => m.identity));
    const first = await queuePage(run.snapshot, ['a', 'b'].map(member), advanceBy(run, 0, ['a', 'b']), onStaged);
    const second = await queuePage(
      run.snapshot,
      ['b', 'c'].map(member),
      advanceBy(first.checkpoint, 1, ['b', 'c']),
      onStaged,
    );
    expect(second.checkpoint.counts).toMatchObject({ exported: 3, skipped: { duplicateId: 1 } });
    await Promise.all([first.durable, second.durable]);
    expect(staged).toEqual([['a', 'b'], ['c']]);
    expect(await collect(run.snapshot)).toEqual(['a', 'b', 'c']);
    expect((await getActiveRun('1:20'))?.read.nextPage).toBe(2);
  });

  it('aborts the page queued behind one that fails, and forgets both for duplicate detection', async () => {
    const run = newRun('1:21', 'start', 1000);
    await saveRun(run);
    // Catch the first page's transaction as it writes its checkpoint, to make it fail later.
    const put = IDBObjectStore.prototype.put;
    let failing: IDBTransaction | undefined;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'runs' && !failing) failing = this.transaction;
      return put.apply(this, args);
    };
    let first: QueuedPage;
    let second: QueuedPage;
    try {
      first = await queuePage(run.snapshot, ['a', 'b'].map(member), advanceBy(run, 0, ['a', 'b']));
      second = await queuePage(run.snapshot, ['c'].map(member), advanceBy(first.checkpoint, 1, ['c']));
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    failing!.abort();
    await expect(first.durable).rejects.toThrow();
    await expect(second.durable).rejects.toThrow();
    expect(await collect(run.snapshot)).toEqual([]);
    expect((await getActiveRun('1:21'))?.read.nextPage).toBe(0);
    // Staged again from the durable state: nobody is a duplicate.
    const again = await stagePage(run.snapshot, ['a', 'b', 'c'].map(member), advanceBy(run, 0, ['a', 'b', 'c']));
    expect(again.counts).toMatchObject({ exported: 3, skipped: { duplicateId: 0 } });
    expect(await collect(run.snapshot)).toEqual(['a', 'b', 'c']);
  });
});
