/**
 * The storage the engine is given: small typed items (WXT's `storage.defineItem` in the browser,
 * lib/background/browser-environment.ts; plain memory under Node) and the progress records.
 * Nothing here touches a browser API, so the engine runs the same in both.
 */
import { parseAppState, INITIAL_APP_STATE } from './app-state-shape';
import { parseProgress, type RunProgress } from './progress';
import type { AppState } from './schema';

/** The shape of a WXT storage item, as far as the engine uses it. */
export interface StoredItem<T> {
  getValue(): Promise<T | null>;
  setValue(value: T): Promise<void>;
  removeValue(): Promise<void>;
}

export interface AppStateStore {
  read(): Promise<AppState>;
  /** Serialised read-modify-write, so concurrent updates inside the worker never lose each other. */
  update(change: (state: AppState) => AppState): Promise<AppState>;
}

export interface ProgressStore {
  put(record: RunProgress): Promise<void>;
  remove(syncId: string): Promise<void>;
  list(): Promise<RunProgress[]>;
}

export interface EngineStorage {
  appState: AppStateStore;
  /** The Mixpanel query budget of every project (lib/sync/budget.ts). */
  budget: StoredItem<Record<string, unknown>>;
  /** The project's cohort list (lib/sync/cohorts.ts). */
  cohortCache: StoredItem<unknown>;
  /** The identities CleverTap refused, per sync (lib/sync/rejected.ts). */
  rejected(syncId: string): StoredItem<unknown>;
  progress: ProgressStore;
  /** Where the snapshots, runs, history and secrets live (lib/storage/db.ts). */
  indexedDB: IDBFactory;
}

export function appStateStore(item: StoredItem<unknown>): AppStateStore {
  let writeChain: Promise<unknown> = Promise.resolve();
  const read = async () => {
    const raw = await item.getValue();
    return raw === null || raw === undefined ? INITIAL_APP_STATE : parseAppState(raw);
  };
  return {
    read,
    update(change) {
      const next = writeChain.then(async () => {
        const updated = change(await read());
        await item.setValue(updated);
        return updated;
      });
      writeChain = next.catch(() => undefined);
      return next;
    },
  };
}

/** An item held in memory: the engine under Node, and tests. */
export function memoryItem<T>(initial: T | null = null): StoredItem<T> & { peek(): T | null } {
  let value: T | null = initial === null ? null : structuredClone(initial);
  return {
    getValue: async () => (value === null ? null : structuredClone(value)),
    setValue: async (next) => {
      value = structuredClone(next);
    },
    removeValue: async () => {
      value = null;
    },
    peek: () => value,
  };
}

export function memoryProgressStore(): ProgressStore {
  const records = new Map<string, RunProgress>();
  return {
    put: async (record) => {
      records.set(record.syncId, structuredClone(record));
    },
    remove: async (syncId) => {
      records.delete(syncId);
    },
    list: async () => [...records.values()].flatMap((record) => parseProgress(record) ?? []),
  };
}

/** Everything in memory, with the IndexedDB factory the caller brings (fake-indexeddb under Node). */
export function memoryStorage(indexedDB: IDBFactory): EngineStorage {
  const rejected = new Map<string, StoredItem<unknown>>();
  return {
    appState: appStateStore(memoryItem<unknown>()),
    budget: memoryItem<Record<string, unknown>>(),
    cohortCache: memoryItem<unknown>(),
    rejected: (syncId) => {
      let item = rejected.get(syncId);
      if (!item) rejected.set(syncId, (item = memoryItem<unknown>()));
      return item;
    },
    progress: memoryProgressStore(),
    indexedDB,
  };
}
