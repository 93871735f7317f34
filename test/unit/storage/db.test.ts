/** The database through idb: an update that wants a newer schema is not blocked by our open connection. */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DB_NAME, openIdb, resetDbHandle, STORES, useIndexedDb } from '../../../lib/storage/db';

afterEach(() => resetDbHandle());

describe('the database', () => {
  it('opens on the factory it is given, with every store', async () => {
    const factory = new IDBFactory();
    useIndexedDb(factory);
    const db = await openIdb();
    expect([...db.objectStoreNames].sort()).toEqual(Object.values(STORES).filter((store) => store !== STORES.members).sort());
    expect((await factory.databases()).map((info) => info.name)).toEqual([DB_NAME]);
  });

  it('closes itself for a newer version (blocking), so the update is not blocked', async () => {
    const factory = new IDBFactory();
    useIndexedDb(factory);
    const ours = await openIdb();
    const blocked = vi.fn();
    const newer = factory.open(DB_NAME, ours.version + 1);
    newer.onblocked = blocked;
    const upgraded = await new Promise<IDBDatabase>((resolve, reject) => {
      newer.onsuccess = () => resolve(newer.result);
      newer.onerror = () => reject(newer.error);
    });
    expect(blocked).not.toHaveBeenCalled();
    expect(upgraded.version).toBe(ours.version + 1);
    upgraded.close();
    // Our connection closed itself: it takes no more transactions.
    expect(() => ours.transaction(STORES.runs)).toThrow();
  });
});
