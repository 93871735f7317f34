/**
 * Cohort snapshots in IndexedDB: staging members page by page, the change chunks a run delivers,
 * and the commit that makes a run's snapshot the new truth.
 * A snapshot is stored in pieces: each staged page is split into SNAPSHOT_BUCKETS hash buckets and
 * written as one record per bucket, sorted by identity and stored in columns
 * (lib/storage/member-columns.ts), all in one transaction. A bucket of a snapshot is therefore a
 * handful of reads, and the diff (lib/sync/diff.ts) works bucket by bucket, so memory stays at one
 * bucket's members for million-member cohorts.
 * Raw IndexedDB here, not idb (lib/storage/db.ts): see the comments at stagePage and the change writer.
 */
import { openDb, SNAPSHOT_BUCKETS, STORES } from './db';
import { done, readRange, request } from './idb';
import { bucketOf, HashSet52, identityHash, SortedHashes } from './identity-hash';
import { identitiesOf, membersOf, toColumns, type MemberColumns, type StoredMembers } from './member-columns';
import { MAX_KEPT_REJECTIONS, type ActiveRun, type Rejection } from './runs';
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

/** Hash buckets per snapshot: at 1M members a bucket holds about 31k, the diff's working set. */
export { SNAPSHOT_BUCKETS };

/** One staged page's members of one bucket, sorted by identity. Key [snapshot, bucket, piece]. */
interface SnapshotPiece extends StoredMembers {
  snapshot: string;
  bucket: number;
  piece: number;
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

interface ChangeChunk extends StoredMembers {
  runId: string;
  op: ChangeOp;
  chunk: number;
}

const changeChunk = (runId: string, op: ChangeOp, chunk: number, members: readonly Member[]): ChangeChunk => ({
  runId,
  op,
  chunk,
  columns: toColumns(members),
});

interface CommittedSnapshot {
  syncId: string;
  snapshot: string;
  size: number;
  segmentId?: number;
}

const snapshotRange = (snapshot: string) => IDBKeyRange.bound([snapshot, 0, 0], [snapshot, Infinity, Infinity]);
const bucketRange = (snapshot: string, bucket: number) =>
  IDBKeyRange.bound([snapshot, bucket, 0], [snapshot, bucket, Infinity]);
const pieceKey = (piece: SnapshotPiece): IDBValidKey => [piece.snapshot, piece.bucket, piece.piece];
export const byIdentity = (a: Member, b: Member) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0);

/**
 * What staging keeps in memory per snapshot: the hashes of its identities (durable or queued),
 * the next piece number, and the last page queued.
 */
interface StagingState {
  hashes: HashSet52;
  nextPiece: number;
  /** Settles when the last page queued is durable; rejects if it failed. */
  tail: Promise<void>;
}

/** Per database handle, so a reopened database (tests) never sees another one's state. */
const staging = new WeakMap<IDBDatabase, Map<string, Promise<StagingState>>>();

function stagingState(db: IDBDatabase, snapshot: string): Promise<StagingState> {
  let states = staging.get(db);
  if (!states) staging.set(db, (states = new Map()));
  let state = states.get(snapshot);
  if (!state) {
    state = rebuildStagingState(db, snapshot);
    states.set(snapshot, state);
    state.catch(() => states.delete(snapshot));
  }
  return state;
}

/** After a worker restart the hashes are read back from the staged pieces: one pass, once. */
async function rebuildStagingState(db: IDBDatabase, snapshot: string): Promise<StagingState> {
  const state: StagingState = { hashes: new HashSet52(), nextPiece: 0, tail: Promise.resolve() };
  for await (const pieces of readRange<SnapshotPiece>(db, STORES.snapshots, snapshotRange(snapshot), pieceKey, 64)) {
    for (const piece of pieces) {
      state.nextPiece = Math.max(state.nextPiece, piece.piece + 1);
      for (const identity of identitiesOf(piece)) state.hashes.add(identityHash(identity));
    }
  }
  return state;
}

/**
 * Ends a complete read's staging and returns the hashes of every identity staged, from staging
 * memory (read back from the pieces once after a worker restart).
 */
export async function finishStaging(snapshot: string): Promise<SortedHashes> {
  const db = await openDb();
  const state = await stagingState(db, snapshot);
  staging.get(db)?.delete(snapshot);
  return state.hashes.sorted();
}

/** A page whose transaction is queued: the checkpoint it saves, and when it is durable. */
export interface QueuedPage {
  checkpoint: ActiveRun;
  /** Resolves once the page and its checkpoint are committed; rejects if the transaction failed. */
  durable: Promise<void>;
}

/** Stages one page and waits until it is durable: `queuePage` for callers with nothing to overlap. */
export async function stagePage(...args: Parameters<typeof queuePage>): Promise<ActiveRun> {
  const queued = await queuePage(...args);
  await queued.durable;
  return queued.checkpoint;
}

/**
 * Queues one page's valid members and the run's checkpoint in a single transaction, and returns
 * before it commits, so the caller can prepare the next page meanwhile. Pages commit in the
 * order they are queued, and a page queued behind one that fails is aborted with it: its
 * checkpoint would otherwise skip the failed page.
 * A member whose identity is already staged (in this page, an earlier one, or one still queued)
 * is a duplicate: counted, not stored twice. `advance` receives the number of duplicates and
 * returns the checkpoint to save; `onStaged` receives the members stored, once they are durable.
 */
export async function queuePage(
  snapshot: string,
  members: readonly Member[],
  advance: (duplicates: number) => ActiveRun,
  onStaged?: (fresh: readonly Member[]) => void,
): Promise<QueuedPage> {
  const db = await openDb();
  const state = await stagingState(db, snapshot);
  let duplicates = 0;
  const seen = new Set<string>();
  const fresh: { member: Member; hash: number }[] = [];
  const suspects: { member: Member; hash: number }[] = [];
  for (const member of members) {
    if (seen.has(member.identity)) {
      duplicates++;
      continue;
    }
    seen.add(member.identity);
    const hash = identityHash(member.identity);
    (state.hashes.has(hash) ? suspects : fresh).push({ member, hash });
  }

  const hook = earlyHooks.get(snapshot);
  const early = hook && !hook.stopped ? hook : undefined;
  // Raw: members, early adds and the checkpoint commit in one transaction that stays open across the
  // duplicate look-ups; queueing puts without awaiting each keeps a page to one commit.
  const stores = [STORES.snapshots, STORES.runs, ...(early ? [STORES.early, STORES.changes] : [])];
  const tx = db.transaction(stores, 'readwrite');
  const store = tx.objectStore(STORES.snapshots);
  const written = done(tx);
  // Page order is IndexedDB's (overlapping read-write transactions run in creation order); a
  // failure of the page before aborts this one from its abort event, before this one can commit.
  state.tail.catch(() => abortQuietly(tx));
  let saved: ActiveRun;
  let taken: ReturnType<typeof takeEarlyAdds> | undefined;
  try {
    // A hash already staged is a duplicate or (rarely) a collision: the bucket's pieces decide.
    const suspectBuckets = new Map<number, typeof suspects>();
    for (const suspect of suspects) {
      const bucket = bucketOf(suspect.hash, SNAPSHOT_BUCKETS);
      suspectBuckets.set(bucket, [...(suspectBuckets.get(bucket) ?? []), suspect]);
    }
    for (const [bucket, candidates] of suspectBuckets) {
      const pieces = (await request(store.getAll(bucketRange(snapshot, bucket)))) as SnapshotPiece[];
      const staged = new Set(pieces.flatMap((piece) => identitiesOf(piece)));
      for (const candidate of candidates) {
        if (staged.has(candidate.member.identity)) duplicates++;
        else fresh.push(candidate);
      }
    }

    const buckets = new Map<number, Member[]>();
    for (const { member, hash } of fresh) {
      const bucket = bucketOf(hash, SNAPSHOT_BUCKETS);
      const list = buckets.get(bucket);
      if (list) list.push(member);
      else buckets.set(bucket, [member]);
    }
    const piece = state.nextPiece++;
    for (const [bucket, list] of buckets) {
      store.put({ snapshot, bucket, piece, columns: toColumns(list.sort(byIdentity)) } satisfies SnapshotPiece);
    }
    saved = advance(duplicates);
    tx.objectStore(STORES.runs).put(saved);
    if (early) taken = takeEarlyAdds(tx, early, fresh);
  } catch (error) {
    abortQuietly(tx);
    written.catch(() => undefined);
    forgetStaging(db, snapshot, early);
    throw error;
  }
  // Queued pages count for duplicates at once; if one fails, the state is dropped and rebuilt
  // from the durable pieces, so a failed page leaves no trace to be mistaken for a duplicate.
  for (const { hash } of fresh) state.hashes.add(hash);
  if (taken) early!.stream = taken.stream;
  const durable = written.then(
    () => {
      onStaged?.(fresh.map(({ member }) => member));
      if (taken) {
        for (const [chunk, chunkMembers] of taken.full) remember(db, taken.stream.runId, 'add', chunk, chunkMembers);
        early!.onChunks(taken.stream.chunks);
      }
    },
    (error: unknown) => {
      forgetStaging(db, snapshot, early);
      throw error;
    },
  );
  state.tail = durable;
  return { checkpoint: saved, durable };
}

function abortQuietly(tx: IDBTransaction): void {
  try {
    tx.abort();
  } catch {
    // Already committed or aborted.
  }
}

/**
 * After a failed page: staging memory is rebuilt from what is durable, and the early stream takes
 * no more (its stored record, the durable one, is what the delivery phase reads).
 */
function forgetStaging(db: IDBDatabase, snapshot: string, early: EarlyHook | undefined): void {
  staging.get(db)?.delete(snapshot);
  if (early) early.stopped = true;
}

/**
 * The adds a run may send before its read is complete: staged members whose identity hash is not
 * among the committed snapshot's. They go into numbered add chunks in the page's own transaction,
 * so the stream is exactly the pages staged, whatever instant the worker stops at.
 */
export interface EarlyAdds {
  snapshot: string;
  runId: string;
  /** Full add chunks written: 0 … chunks − 1, CHANGE_CHUNK members each. */
  chunks: number;
  /** Members past the last full chunk. */
  pending: Member[];
  /** Members the stream took: chunks × CHANGE_CHUNK + pending. */
  count: number;
  /** Tells this stream's filed chunks (lib/storage/db.ts `earlySent`) from a restarted read's. */
  streamId?: string;
  /** Chunks already upserted, and what they cost (filed apart, and merged in by getEarlyAdds). */
  delivered: number[];
  rejections: Rejection[];
  rejected: number;
  requests: number;
}

/** The early stream as stored: its pending members in columns, or as objects in records written before columns. */
type StoredEarlyAdds = Omit<EarlyAdds, 'pending'> & { pending?: Member[]; pendingColumns?: MemberColumns };

const storedStream = ({ pending, ...rest }: EarlyAdds): StoredEarlyAdds => ({ ...rest, pendingColumns: toColumns(pending) });

function streamOf({ pending, pendingColumns, ...rest }: StoredEarlyAdds): EarlyAdds {
  return { ...rest, pending: pendingColumns ? membersOf({ columns: pendingColumns }) : (pending ?? []) };
}

interface EarlyHook {
  committed: SortedHashes;
  onChunks: (chunks: number) => void;
  stopped: boolean;
  /**
   * The stream as of the last page queued. Only this worker's staging writes it while the hook is
   * set, so a page needs no read of it inside its transaction, which would wait for the
   * transaction to start.
   */
  stream: EarlyAdds;
}

const earlyHooks = new Map<string, EarlyHook>();

function takeEarlyAdds(
  tx: IDBTransaction,
  hook: EarlyHook,
  fresh: readonly { member: Member; hash: number }[],
): { stream: EarlyAdds; full: Map<number, Member[]> } {
  const stream: EarlyAdds = { ...hook.stream, pending: [...hook.stream.pending] };
  const full = new Map<number, Member[]>();
  for (const { member, hash } of fresh) {
    if (hook.committed.has(hash)) continue;
    stream.pending.push(member);
    stream.count++;
    if (stream.pending.length === CHANGE_CHUNK) {
      full.set(stream.chunks, stream.pending);
      tx.objectStore(STORES.changes).put(changeChunk(stream.runId, 'add', stream.chunks++, stream.pending));
      stream.pending = [];
    }
  }
  tx.objectStore(STORES.early).put(storedStream(stream));
  return { stream, full };
}

/**
 * Starts the early-add stream of a run that is about to read. Only a read that starts from nothing
 * gets one (a run resumed from an older version without it diffs as before). Returns the stream
 * as stored, or undefined when this run has none.
 */
export async function startEarlyAdds(
  run: ActiveRun,
  committed: SortedHashes,
  onChunks: (chunks: number) => void,
): Promise<EarlyAdds | undefined> {
  const db = await openDb();
  const tx = db.transaction(STORES.early, 'readwrite');
  const store = tx.objectStore(STORES.early);
  const stored = (await request(store.get(run.snapshot))) as StoredEarlyAdds | undefined;
  let stream = stored && streamOf(stored);
  if (!stream && run.read.nextPage === 0 && run.counts.read === 0) {
    stream = {
      snapshot: run.snapshot,
      runId: run.runId,
      streamId: crypto.randomUUID(),
      chunks: 0,
      pending: [],
      count: 0,
      delivered: [],
      rejections: [],
      rejected: 0,
      requests: 0,
    };
    store.put(storedStream(stream));
  }
  await done(tx);
  if (!stream) return undefined;
  earlyHooks.set(run.snapshot, { committed, onChunks, stopped: false, stream });
  return getEarlyAdds(run.snapshot);
}

/** No more early adds for this snapshot: the read is over (or the worker is going away). */
export function stopEarlyAdds(snapshot: string): void {
  const hook = earlyHooks.get(snapshot);
  if (hook) hook.stopped = true;
  earlyHooks.delete(snapshot);
}

/** The stream with every chunk filed for it (streams of an earlier version kept their own list). */
export async function getEarlyAdds(snapshot: string): Promise<EarlyAdds | undefined> {
  const db = await openDb();
  const tx = db.transaction([STORES.early, STORES.earlySent]);
  const [stored, rows] = (await Promise.all([
    request(tx.objectStore(STORES.early).get(snapshot)),
    request(tx.objectStore(STORES.earlySent).getAll(sentRange(snapshot))),
  ])) as [StoredEarlyAdds | undefined, EarlySentRow[]];
  if (!stored) return undefined;
  const stream = streamOf(stored);
  // Rows of a stream restarted since are not this stream's.
  for (const row of rows.filter((candidate) => stored.streamId !== undefined && candidate.streamId === stored.streamId)) {
    if (stream.delivered.includes(row.chunk)) continue;
    stream.delivered.push(row.chunk);
    stream.rejections.push(...row.rejections.slice(0, Math.max(0, MAX_KEPT_REJECTIONS - stream.rejections.length)));
    stream.rejected += row.rejected;
    stream.requests += row.requests;
  }
  return stream;
}

/** An upserted early chunk, with its rejections and the requests it took. */
export interface EarlyBatch {
  chunk: number;
  rejected: readonly Rejection[];
  requests: number;
}

interface EarlySentRow {
  snapshot: string;
  chunk: number;
  streamId: string;
  rejections: Rejection[];
  rejected: number;
  requests: number;
}

const sentRange = (snapshot: string) => IDBKeyRange.bound([snapshot, 0], [snapshot, Infinity]);

/** Files upserted early chunks of stream `streamId`, any number in one transaction. */
export async function recordEarlyBatches(snapshot: string, streamId: string, batches: readonly EarlyBatch[]): Promise<void> {
  if (batches.length === 0) return;
  const db = await openDb();
  const tx = db.transaction(STORES.earlySent, 'readwrite');
  const store = tx.objectStore(STORES.earlySent);
  for (const { chunk, rejected, requests } of batches) {
    const row: EarlySentRow = { snapshot, chunk, streamId, rejections: rejected.slice(0, MAX_KEPT_REJECTIONS), rejected: rejected.length, requests };
    store.put(row);
  }
  await done(tx);
}

/** The committed snapshot's identity hashes, as the diff saved them (or computed from the pieces). */
export async function loadSnapshotHashes(snapshot: string): Promise<SortedHashes> {
  const db = await openDb();
  const saved = (await request(db.transaction(STORES.hashes).objectStore(STORES.hashes).get(snapshot))) as
    | { hashes: Float64Array }
    | undefined;
  if (saved) return new SortedHashes(saved.hashes);
  const hashes: number[] = [];
  for await (const identity of snapshotIdentities(snapshot)) hashes.push(identityHash(identity));
  return SortedHashes.from(hashes);
}

export async function saveSnapshotHashes(snapshot: string, hashes: SortedHashes): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(STORES.hashes, 'readwrite');
  tx.objectStore(STORES.hashes).put({ snapshot, hashes: hashes.hashes });
  await done(tx);
}

/** One bucket of a snapshot, sorted by identity. */
export async function readSnapshotBucket(snapshot: string, bucket: number): Promise<Member[]> {
  const db = await openDb();
  const store = db.transaction(STORES.snapshots).objectStore(STORES.snapshots);
  const pieces = (await request(store.getAll(bucketRange(snapshot, bucket)))) as SnapshotPiece[];
  if (pieces.length === 1) return membersOf(pieces[0]!);
  return pieces.flatMap((piece) => membersOf(piece)).sort(byIdentity);
}

/** Identities only, streamed from the pieces `piecesPerRead` at a time: the custom-list file. */
export async function* snapshotIdentities(snapshot: string, piecesPerRead = 64): AsyncGenerator<string> {
  const db = await openDb();
  for await (const pieces of readRange<SnapshotPiece>(db, STORES.snapshots, snapshotRange(snapshot), pieceKey, piecesPerRead)) {
    for (const piece of pieces) yield* identitiesOf(piece);
  }
}

/** Deletes a snapshot's pieces, its hashes and its early-add stream (a restarted read sends those again). */
export async function deleteSnapshot(snapshot: string): Promise<void> {
  const db = await openDb();
  staging.get(db)?.delete(snapshot);
  stopEarlyAdds(snapshot);
  const tx = db.transaction([STORES.snapshots, STORES.hashes, STORES.early, STORES.earlySent], 'readwrite');
  tx.objectStore(STORES.snapshots).delete(snapshotRange(snapshot));
  tx.objectStore(STORES.hashes).delete(snapshot);
  tx.objectStore(STORES.early).delete(snapshot);
  tx.objectStore(STORES.earlySent).delete(sentRange(snapshot));
  await done(tx);
}

export async function getCommitted(syncId: string): Promise<CommittedSnapshot | undefined> {
  const db = await openDb();
  return (await request(db.transaction(STORES.committed).objectStore(STORES.committed).get(syncId))) as
    | CommittedSnapshot
    | undefined;
}

/**
 * Writes a run's changes in numbered chunks of CHANGE_CHUNK per kind, five chunks per transaction.
 * Opening a writer drops the run's earlier changes, so a re-run diff replaces them; `after` keeps
 * the adds already streamed during the read (its full chunks) and continues from its pending members.
 */
export async function openChangeWriter(runId: string, after?: Pick<EarlyAdds, 'chunks' | 'pending'>) {
  await deleteChanges(runId, after?.chunks ?? 0);
  const db = await openDb();
  const pending: Record<ChangeOp, Member[]> = { add: [...(after?.pending ?? [])], remove: [] };
  const chunks: Record<ChangeOp, number> = { add: after?.chunks ?? 0, remove: 0 };
  const counts: Record<ChangeOp, number> = { add: chunks.add * CHANGE_CHUNK + pending.add.length, remove: 0 };
  let full: { op: ChangeOp; chunk: number; members: Member[] }[] = [];
  // Raw: five chunks queued in one transaction and awaited once, which idb's per-call promises would not make faster.
  const flush = async () => {
    if (full.length === 0) return;
    const tx = db.transaction(STORES.changes, 'readwrite');
    const store = tx.objectStore(STORES.changes);
    const written = full;
    for (const { op, chunk, members } of written) store.put(changeChunk(runId, op, chunk, members));
    full = [];
    await done(tx);
    for (const { op, chunk, members } of written) remember(db, runId, op, chunk, members);
  };
  const cut = (op: ChangeOp) => {
    if (pending[op].length === 0) return;
    full.push({ op, chunk: chunks[op]++, members: pending[op] });
    pending[op] = [];
  };
  return {
    async write(op: ChangeOp, members: readonly Member[]): Promise<void> {
      for (const member of members) {
        pending[op].push(member);
        counts[op]++;
        if (pending[op].length === CHANGE_CHUNK) cut(op);
        if (full.length >= 5) await flush();
      }
    },
    async close(): Promise<{ added: number; removed: number }> {
      cut('add');
      cut('remove');
      await flush();
      return { added: counts.add, removed: counts.remove };
    },
  };
}

/**
 * Change chunks lately made durable, kept in memory: each is uploaded moments after it is written,
 * and a read then would wait behind the staging transactions. Bounded, oldest out first.
 */
const recentChunksOf = new WeakMap<IDBDatabase, Map<string, Member[]>>();
const RECENT_CHUNKS = 48;
const chunkKey = (runId: string, op: ChangeOp, chunk: number) => `${runId}\u0000${op}\u0000${chunk}`;

function recentChunks(db: IDBDatabase): Map<string, Member[]> {
  let recent = recentChunksOf.get(db);
  if (!recent) recentChunksOf.set(db, (recent = new Map()));
  return recent;
}

function remember(db: IDBDatabase, runId: string, op: ChangeOp, chunk: number, members: Member[]): void {
  const recent = recentChunks(db);
  const key = chunkKey(runId, op, chunk);
  recent.delete(key);
  recent.set(key, members);
  if (recent.size > RECENT_CHUNKS) recent.delete(recent.keys().next().value!);
}

function forgetChunks(db: IDBDatabase, runId: string, keep: (op: ChangeOp, chunk: number) => boolean = () => false): void {
  const recent = recentChunks(db);
  const prefix = `${runId}\u0000`;
  for (const key of [...recent.keys()]) {
    if (!key.startsWith(prefix)) continue;
    const [, op, chunk] = key.split('\u0000');
    if (!keep(op as ChangeOp, Number(chunk))) recent.delete(key);
  }
}

/** Changes of one kind in chunk `chunk`: members CHANGE_CHUNK × chunk onwards, in identity order. */
export async function readChangeChunk(runId: string, op: ChangeOp, chunk: number): Promise<Change[]> {
  const db = await openDb();
  const recent = recentChunks(db).get(chunkKey(runId, op, chunk));
  if (recent) return recent.map((member) => ({ ...member, op }));
  const row = (await request(db.transaction(STORES.changes).objectStore(STORES.changes).get([runId, op, chunk]))) as
    | ChangeChunk
    | undefined;
  return row ? membersOf(row).map((member) => ({ ...member, op })) : [];
}

export async function* allChanges(runId: string): AsyncGenerator<Change[]> {
  const db = await openDb();
  const range = IDBKeyRange.bound([runId, '', 0], [runId, '\uffff', Infinity]);
  const keyOf = (row: ChangeChunk): IDBValidKey => [row.runId, row.op, row.chunk];
  for await (const rows of readRange<ChangeChunk>(db, STORES.changes, range, keyOf, 20)) {
    for (const row of rows) yield membersOf(row).map((member) => ({ ...member, op: row.op }));
  }
}

/** Drops a run's changes, except its first `keepAdds` add chunks. */
async function deleteChanges(runId: string, keepAdds = 0): Promise<void> {
  const db = await openDb();
  forgetChunks(db, runId, (op, chunk) => op === 'add' && chunk < keepAdds);
  const tx = db.transaction(STORES.changes, 'readwrite');
  const store = tx.objectStore(STORES.changes);
  if (keepAdds === 0) store.delete(IDBKeyRange.bound([runId, '', 0], [runId, '\uffff', Infinity]));
  else {
    store.delete(IDBKeyRange.bound([runId, 'add', keepAdds], [runId, 'add', Infinity]));
    store.delete(IDBKeyRange.bound([runId, 'remove', 0], [runId, 'remove', Infinity]));
  }
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
  // The run's chunks were uploaded; the history reads its changes from IndexedDB.
  forgetChunks(db, run.runId);
  const tx = db.transaction([STORES.committed, STORES.history, STORES.runs, STORES.changes, STORES.early, STORES.earlySent], 'readwrite');
  tx.objectStore(STORES.early).delete(run.snapshot);
  tx.objectStore(STORES.earlySent).delete(sentRange(run.snapshot));
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
