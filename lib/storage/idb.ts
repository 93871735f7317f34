/** Thin promise wrappers over IndexedDB: enough to keep the storage modules readable. */

export function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Resolves when the transaction commits: the moment its writes are durable. */
export function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => reject(tx.error);
  });
}

/**
 * Reads a key range in slices of `batchSize` with getAll, resuming after the last key seen:
 * much faster than a cursor for large snapshots, and memory stays at one slice.
 */
export async function* readRange<T>(
  db: IDBDatabase,
  storeName: string,
  range: IDBKeyRange,
  keyOf: (value: T) => IDBValidKey,
  batchSize = 5000,
): AsyncGenerator<T[]> {
  let current = range;
  for (;;) {
    const tx = db.transaction(storeName, 'readonly');
    const values = (await request(tx.objectStore(storeName).getAll(current, batchSize))) as T[];
    if (values.length === 0) return;
    yield values;
    if (values.length < batchSize) return;
    const lastKey = keyOf(values[values.length - 1]!);
    current = IDBKeyRange.bound(lastKey, range.upper, true, range.upperOpen);
  }
}
