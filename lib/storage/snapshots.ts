/**
 * Cohort snapshots in IndexedDB: staging members page by page, the diff between the staged and
 * the committed snapshot, and the commit that makes a run's snapshot the new truth.
 * Every walk is in identity order and in slices, so memory stays flat for million-member cohorts.
 */
import { openDb, STORES } from './db';
import { done, readRange, request } from './idb';
import type { ActiveRun } from './runs';
import type { RunSummary } from './schema';

/** CleverTap profile fields we send alongside the identity, when Mixpanel has them. */
export interface MemberProfile {
  Email?: string;
  Phone?: string;
  Name?: string;
}

export interface Member {
  identity: string;
  distinctId: string;
  profile: MemberProfile;
}

interface MemberRow extends Member {
  snapshot: string;
}

export type ChangeOp = 'add' | 'remove';

export interface Change extends Member {
  op: ChangeOp;
}

/**
 * Changes are stored in chunks of this many, one record each, so delivering a batch of 1000 is
 * one read and diffing 1M members is a thousand writes, not a million.
 */
export const CHANGE_CHUNK = 1000;

interface ChangeChunk {
  runId: string;
  op: ChangeOp;
  chunk: number;
  members: Member[];
}

export interface CommittedSnapshot {
  syncId: string;
  snapshot: string;
  size: number;
  segmentId?: number;
}

const snapshotRange = (snapshot: string) => IDBKeyRange.bound([snapshot, ''], [snapshot, '\uffff\uffff'], false, false);

/**
 * Stages one page's valid members and saves the run's checkpoint in a single transaction.
 * A member whose identity is already staged is a duplicate: counted, not stored twice.
 * `advance` receives the number of duplicates and returns the checkpoint to save.
 */
export async function stagePage(
  snapshot: string,
  members: readonly Member[],
  advance: (duplicates: number) => ActiveRun,
): Promise<ActiveRun> {
  const db = await openDb();
  const tx = db.transaction([STORES.members, STORES.runs], 'readwrite');
  const store = tx.objectStore(STORES.members);
  let duplicates = 0;
  let pending = members.length;
  let saved: ActiveRun | undefined;
  const saveCheckpoint = () => {
    saved = advance(duplicates);
    tx.objectStore(STORES.runs).put(saved);
  };
  // The checkpoint is written from the last add's callback, while the transaction is still active.
  const settle = () => {
    if (--pending === 0) saveCheckpoint();
  };
  for (const member of members) {
    const row: MemberRow = { snapshot, ...member };
    const add = store.add(row);
    add.onsuccess = settle;
    add.onerror = (event) => {
      if (add.error?.name !== 'ConstraintError') return; // real failures abort the transaction
      event.preventDefault(); // a duplicate key must not abort the page
      event.stopPropagation();
      duplicates++;
      settle();
    };
  }
  if (members.length === 0) saveCheckpoint();
  await done(tx);
  return saved!;
}

export async function* snapshotMembers(snapshot: string, batchSize = 5000): AsyncGenerator<Member[]> {
  const db = await openDb();
  for await (const rows of readRange<MemberRow>(db, STORES.members, snapshotRange(snapshot), rowKey, batchSize)) {
    yield rows.map(toMember);
  }
}

/** Identities only, read from the keys: the custom-list file needs nothing else. */
export async function* snapshotIdentities(snapshot: string, batchSize = 10_000): AsyncGenerator<string> {
  const db = await openDb();
  const range = snapshotRange(snapshot);
  let current = range;
  for (;;) {
    const store = db.transaction(STORES.members).objectStore(STORES.members);
    const keys = (await request(store.getAllKeys(current, batchSize))) as [string, string][];
    for (const [, identity] of keys) yield identity;
    if (keys.length < batchSize) return;
    current = IDBKeyRange.bound(keys[keys.length - 1], range.upper, true, range.upperOpen);
  }
}

export async function deleteSnapshot(snapshot: string): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(STORES.members, 'readwrite');
  tx.objectStore(STORES.members).delete(snapshotRange(snapshot));
  await done(tx);
}

export async function getCommitted(syncId: string): Promise<CommittedSnapshot | undefined> {
  const db = await openDb();
  return (await request(db.transaction(STORES.committed).objectStore(STORES.committed).get(syncId))) as
    | CommittedSnapshot
    | undefined;
}

/**
 * Walks the staged and committed snapshots side by side (both sorted by identity) and records
 * added and removed members in numbered chunks. Re-running it replaces the previous result.
 */
export async function diffSnapshots(
  runId: string,
  staged: string,
  committed: string | undefined,
): Promise<{ added: number; removed: number }> {
  await deleteChanges(runId);
  const db = await openDb();
  const pending: Record<ChangeOp, Member[]> = { add: [], remove: [] };
  const chunks: Record<ChangeOp, number> = { add: 0, remove: 0 };
  const counts: Record<ChangeOp, number> = { add: 0, remove: 0 };
  let full: ChangeChunk[] = [];
  const flush = async () => {
    if (full.length === 0) return;
    const tx = db.transaction(STORES.changes, 'readwrite');
    const store = tx.objectStore(STORES.changes);
    for (const chunk of full) store.put(chunk);
    full = [];
    await done(tx);
  };
  const close = (op: ChangeOp) => {
    if (pending[op].length === 0) return;
    full.push({ runId, op, chunk: chunks[op]++, members: pending[op] });
    pending[op] = [];
  };
  const emit = async (op: ChangeOp, member: Member) => {
    pending[op].push(member);
    counts[op]++;
    if (pending[op].length === CHANGE_CHUNK) close(op);
    if (full.length >= 5) await flush();
  };

  const left = flatten(snapshotMembers(staged));
  const right = committed ? flatten(snapshotMembers(committed)) : emptyMembers();
  let a = await left.next();
  let b = await right.next();
  while (!a.done || !b.done) {
    if (b.done || (!a.done && a.value.identity < b.value.identity)) {
      await emit('add', a.value!);
      a = await left.next();
    } else if (a.done || b.value.identity < a.value.identity) {
      await emit('remove', b.value);
      b = await right.next();
    } else {
      a = await left.next();
      b = await right.next();
    }
  }
  close('add');
  close('remove');
  await flush();
  return { added: counts.add, removed: counts.remove };
}

/** Changes of one kind in chunk `chunk`: members CHANGE_CHUNK × chunk onwards, in identity order. */
export async function readChangeChunk(runId: string, op: ChangeOp, chunk: number): Promise<Change[]> {
  const db = await openDb();
  const row = (await request(db.transaction(STORES.changes).objectStore(STORES.changes).get([runId, op, chunk]))) as
    | ChangeChunk
    | undefined;
  return (row?.members ?? []).map((member) => ({ ...member, op }));
}

export async function* allChanges(runId: string): AsyncGenerator<Change[]> {
  const db = await openDb();
  const range = IDBKeyRange.bound([runId, '', 0], [runId, '\uffff', Infinity]);
  const keyOf = (row: ChangeChunk): IDBValidKey => [row.runId, row.op, row.chunk];
  for await (const rows of readRange<ChangeChunk>(db, STORES.changes, range, keyOf, 20)) {
    for (const row of rows) yield row.members.map((member) => ({ ...member, op: row.op }));
  }
}

async function deleteChanges(runId: string): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(STORES.changes, 'readwrite');
  tx.objectStore(STORES.changes).delete(IDBKeyRange.bound([runId, '', 0], [runId, '\uffff', Infinity]));
  await done(tx);
}

/**
 * Makes the run's snapshot the committed one, files its summary in the history and drops the
 * active run, all at once. Returns the snapshot it replaced, for the caller to delete.
 * History beyond `historyLimit` runs is pruned together with those runs' changes.
 */
export async function commitRun(
  run: ActiveRun,
  summary: RunSummary,
  size: number,
  historyLimit: number,
): Promise<string | undefined> {
  const db = await openDb();
  const tx = db.transaction([STORES.committed, STORES.history, STORES.runs, STORES.changes], 'readwrite');
  const committedStore = tx.objectStore(STORES.committed);
  const previous = (await request(committedStore.get(run.syncId))) as CommittedSnapshot | undefined;
  const next: CommittedSnapshot = { syncId: run.syncId, snapshot: run.snapshot, size, segmentId: summary.segmentId };
  if (next.segmentId === undefined && previous?.segmentId !== undefined) next.segmentId = previous.segmentId;
  committedStore.put(next);
  tx.objectStore(STORES.runs).delete(run.syncId);
  const history = tx.objectStore(STORES.history);
  history.put(summary);
  const keys = (await request(
    history.index('bySync').getAllKeys(IDBKeyRange.bound([run.syncId, 0], [run.syncId, Infinity])),
  )) as string[];
  // Keys come oldest first; the summary just written is among them.
  for (const runId of keys.slice(0, Math.max(0, keys.length - historyLimit))) {
    history.delete(runId);
    tx.objectStore(STORES.changes).delete(IDBKeyRange.bound([runId, '', 0], [runId, '\uffff', Infinity]));
  }
  await done(tx);
  return previous && previous.snapshot !== run.snapshot ? previous.snapshot : undefined;
}

/** Forgets a sync entirely: its committed snapshot, active run and staged members. History stays. */
export async function forgetSync(syncId: string): Promise<void> {
  const db = await openDb();
  const committed = await getCommitted(syncId);
  const run = (await request(db.transaction(STORES.runs).objectStore(STORES.runs).get(syncId))) as
    | ActiveRun
    | undefined;
  const tx = db.transaction([STORES.committed, STORES.runs], 'readwrite');
  tx.objectStore(STORES.committed).delete(syncId);
  tx.objectStore(STORES.runs).delete(syncId);
  await done(tx);
  if (committed) await deleteSnapshot(committed.snapshot);
  if (run) await deleteSnapshot(run.snapshot);
}

const rowKey = (row: MemberRow): IDBValidKey => [row.snapshot, row.identity];
const toMember = ({ identity, distinctId, profile }: MemberRow): Member => ({ identity, distinctId, profile });

async function* flatten(batches: AsyncGenerator<Member[]>): AsyncGenerator<Member> {
  for await (const batch of batches) yield* batch;
}

// eslint-disable-next-line require-yield
async function* emptyMembers(): AsyncGenerator<Member> {
  return;
}
