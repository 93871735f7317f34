/**
 * The extension's IndexedDB database. It lives in the extension's own origin, so neither
 * Mixpanel's pages nor our content script can open it: secrets and member data stay here.
 */
import { unwrap, wrap, type IDBPDatabase } from 'idb';
import { bucketOf, identityHash } from './identity-hash';

export const DB_NAME = 'cohort-sync';
const DB_VERSION = 4;
/** Hash buckets per snapshot (see lib/storage/snapshots.ts); fixed, as stored pieces depend on it. */
export const SNAPSHOT_BUCKETS = 32;

export const STORES = {
  /** Secrets by service: `{ service: 'clevertap', passcode }`, `{ service: 'mixpanel', secret }`. */
  secrets: 'secrets',
  /** Version 1–2 snapshot members, one record per member keyed [snapshot, identity]; moved to `snapshots`. */
  members: 'members',
  /** Snapshots in pieces: one staged page's members of one hash bucket, keyed [snapshot, bucket, piece]. */
  snapshots: 'snapshots',
  /** The committed snapshot of each sync: `{ syncId, snapshot, size, segmentId? }`. */
  committed: 'committed',
  /** The active (unfinished) run of each sync, with its checkpoint. */
  runs: 'runs',
  /** Finished runs, keyed by runId, indexed by [syncId, startedAt]. */
  history: 'history',
  /** Each run's adds and removes in chunks of 1000, keyed [runId, op, chunk]: one chunk, one upload batch. */
  changes: 'changes',
  /** Per staged snapshot, the adds sent while its read goes on: `{ snapshot, runId, chunks, pending, … }`. */
  early: 'early',
  /**
   * The chunks upserted during a read, one record each, keyed [snapshot, chunk]: apart from `early`,
   * so filing one never waits behind a page being staged.
   */
  earlySent: 'earlySent',
  /** Per committed snapshot, its identity hashes as a sorted Float64Array: `{ snapshot, hashes }`. */
  hashes: 'hashes',
} as const;

let factory: IDBFactory | undefined;
let opening: Promise<IDBPDatabase> | undefined;

/** The IndexedDB the engine is given (the browser's, or fake-indexeddb under Node). */
export function useIndexedDb(next: IDBFactory): void {
  if (factory === next) return;
  factory = next;
  opening = undefined;
}

/** The database through `idb`: promises, `tx.done`, typed helpers. */
export function openIdb(): Promise<IDBPDatabase> {
  opening ??= open(factory ?? globalThis.indexedDB).catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}

/** The same connection, unwrapped, for the few places where raw IndexedDB is measurably better. */
export async function openDb(): Promise<IDBDatabase> {
  return unwrap(await openIdb());
}

/**
 * idb's `openDB`, but on the injected factory (openDB always uses the global `indexedDB`):
 * `wrap` turns the request into a promise, and the same blocked / blocking handlers apply.
 */
async function open(from: IDBFactory): Promise<IDBPDatabase> {
  const req = from.open(DB_NAME, DB_VERSION);
  req.onupgradeneeded = (event) => upgrade(req.result, event.oldVersion, req.transaction!);
  // An older copy of the extension still holds the database; its `versionchange` handler closes it.
  req.onblocked = () => console.warn('Cohort Sync’s database is waiting for an older connection to close');
  const db = (await wrap(req)) as IDBPDatabase;
  // Blocking: another copy of the extension (an update) wants a newer schema, so let it have the database.
  db.addEventListener('versionchange', () => {
    db.close();
    opening = undefined;
  });
  // Terminated (the browser closed it, e.g. storage cleared): the next call opens it again.
  db.addEventListener('close', () => {
    opening = undefined;
  });
  return db;
}

function upgrade(db: IDBDatabase, oldVersion: number, tx: IDBTransaction): void {
  if (oldVersion < 1) {
    db.createObjectStore(STORES.secrets, { keyPath: 'service' });
    db.createObjectStore(STORES.committed, { keyPath: 'syncId' });
    db.createObjectStore(STORES.runs, { keyPath: 'syncId' });
    db.createObjectStore(STORES.history, { keyPath: 'runId' }).createIndex('bySync', ['syncId', 'startedAt']);
  }
  // Version 2 stores changes in chunks; per-member change records of version 1 are dropped.
  if (oldVersion < 2 && db.objectStoreNames.contains(STORES.changes)) db.deleteObjectStore(STORES.changes);
  if (oldVersion < 2) db.createObjectStore(STORES.changes, { keyPath: ['runId', 'op', 'chunk'] });
  // Version 3 stores snapshots in bucketed pieces; members of earlier versions move over.
  if (oldVersion < 3) {
    db.createObjectStore(STORES.snapshots, { keyPath: ['snapshot', 'bucket', 'piece'] });
    db.createObjectStore(STORES.early, { keyPath: 'snapshot' });
    db.createObjectStore(STORES.hashes, { keyPath: 'snapshot' });
    // A cursor over the old store inside the upgrade transaction: raw, as idb adds nothing here.
    if (oldVersion >= 1) migrateMembers(tx);
  }
  if (oldVersion < 4) db.createObjectStore(STORES.earlySent, { keyPath: ['snapshot', 'chunk'] });
}

interface LegacyMemberRow {
  snapshot: string;
  identity: string;
  distinctId: string;
  profile: object;
}

/** Walks the old per-member store (sorted by snapshot, then identity) and writes one piece per bucket. */
function migrateMembers(tx: IDBTransaction): void {
  const target = tx.objectStore(STORES.snapshots);
  let snapshot: string | undefined;
  let buckets = new Map<number, Omit<LegacyMemberRow, 'snapshot'>[]>();
  const flush = () => {
    for (const [bucket, members] of buckets) target.put({ snapshot, bucket, piece: 0, members });
    buckets = new Map();
  };
  const cursor = tx.objectStore(STORES.members).openCursor();
  cursor.onsuccess = () => {
    const current = cursor.result;
    const row = current?.value as LegacyMemberRow | undefined;
    if (!current || row!.snapshot !== snapshot) flush();
    if (!current) {
      tx.db.deleteObjectStore(STORES.members);
      return;
    }
    snapshot = row!.snapshot;
    const bucket = bucketOf(identityHash(row!.identity), SNAPSHOT_BUCKETS);
    const list = buckets.get(bucket) ?? [];
    list.push({ identity: row!.identity, distinctId: row!.distinctId, profile: row!.profile });
    buckets.set(bucket, list);
    current.continue();
  };
}

/** For tests: forget the open handle and the factory, so the next open starts afresh on `indexedDB`. */
export function resetDbHandle(): void {
  opening = undefined;
  factory = undefined;
}
