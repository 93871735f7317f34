/**
 * The extension's IndexedDB database. It lives in the extension's own origin, so neither
 * Mixpanel's pages nor our content script can open it: secrets and member data stay here.
 */
import { request } from './idb';

export const DB_NAME = 'cohort-sync';
const DB_VERSION = 2;

export const STORES = {
  /** Secrets by service: `{ service: 'clevertap', passcode }`, `{ service: 'mixpanel', secret }`. */
  secrets: 'secrets',
  /** Snapshot members, keyed [snapshot, identity] so a snapshot reads back sorted by identity. */
  members: 'members',
  /** The committed snapshot of each sync: `{ syncId, snapshot, size, segmentId? }`. */
  committed: 'committed',
  /** The active (unfinished) run of each sync, with its checkpoint. */
  runs: 'runs',
  /** Finished runs, keyed by runId, indexed by [syncId, startedAt]. */
  history: 'history',
  /** Each run's adds and removes in chunks of 1000, keyed [runId, op, chunk]: one chunk, one upload batch. */
  changes: 'changes',
} as const;

let opening: Promise<IDBDatabase> | undefined;

export function openDb(): Promise<IDBDatabase> {
  opening ??= (async () => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = (event) => {
      const db = req.result;
      if (event.oldVersion < 1) {
        db.createObjectStore(STORES.secrets, { keyPath: 'service' });
        db.createObjectStore(STORES.members, { keyPath: ['snapshot', 'identity'] });
        db.createObjectStore(STORES.committed, { keyPath: 'syncId' });
        db.createObjectStore(STORES.runs, { keyPath: 'syncId' });
        db.createObjectStore(STORES.history, { keyPath: 'runId' }).createIndex('bySync', ['syncId', 'startedAt']);
      }
      // Version 2 stores changes in chunks; per-member change records of version 1 are dropped.
      if (db.objectStoreNames.contains(STORES.changes)) db.deleteObjectStore(STORES.changes);
      db.createObjectStore(STORES.changes, { keyPath: ['runId', 'op', 'chunk'] });
    };
    const db = await request(req);
    // Another copy of the extension (an update) wants a newer schema: let it have the database.
    db.onversionchange = () => {
      db.close();
      opening = undefined;
    };
    return db;
  })();
  return opening;
}

/** For tests: forget the open handle so the next openDb starts afresh. */
export function resetDbHandle(): void {
  opening = undefined;
}
