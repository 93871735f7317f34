/**
 * The engine's storage in the browser, as WXT storage items: the app state (versioned, with its
 * migration), the query budget and the cohort cache in storage.local, the rejected identities per
 * sync, and run progress in storage.session (in memory: progress does not outlive the browser).
 */
import { storage } from 'wxt/utils/storage';
import { APP_STATE_KEY, APP_STATE_VERSION, INITIAL_APP_STATE, migrateAppStateToV2 } from '../storage/app-state-shape';
import { appStateStore, type AppStateStore, type EngineStorage, type ProgressStore, type StoredItem } from '../storage/items';
import { parseProgress, progressKey, PROGRESS_KEY_PREFIX, type RunProgress } from '../storage/progress';

let appState: AppStateStore | undefined;

/**
 * The app state as the background keeps it: versioned, migrated on the worker's first use. Defined on
 * first call, never at import, so a page importing this module runs no migration (only the
 * background writes the state). One store for the whole worker: the engine and the router share one
 * write chain.
 */
export function backgroundAppState(): AppStateStore {
  appState ??= appStateStore(
    storage.defineItem<unknown>(`local:${APP_STATE_KEY}`, {
      fallback: INITIAL_APP_STATE,
      version: APP_STATE_VERSION,
      migrations: { 2: migrateAppStateToV2 },
    }),
  );
  return appState;
}

const budgetItem = storage.defineItem<Record<string, unknown>>('local:queryBudget', { fallback: {} });

const cohortCacheItem = storage.defineItem<unknown>('local:cohortCache', { fallback: null });

const rejectedItems = new Map<string, StoredItem<unknown>>();

function rejectedItem(syncId: string): StoredItem<unknown> {
  let item = rejectedItems.get(syncId);
  if (!item) rejectedItems.set(syncId, (item = storage.defineItem<unknown>(`local:rejected:${syncId}`, { fallback: null })));
  return item;
}

const browserProgress: ProgressStore = {
  put: (record: RunProgress) => storage.setItem(`session:${progressKey(record.syncId)}`, record),
  remove: (syncId: string) => storage.removeItem(`session:${progressKey(syncId)}`),
  list: () => listProgress(),
};

async function listProgress(): Promise<RunProgress[]> {
  const all = await storage.snapshot('session');
  return Object.entries(all).flatMap(([key, value]) =>
    key.startsWith(PROGRESS_KEY_PREFIX) ? (parseProgress(value) ?? []) : [],
  );
}

/** The engine's storage in the browser, with the IndexedDB it is given (the worker's own). */
export function browserStorage(indexedDB: IDBFactory): EngineStorage {
  return {
    appState: backgroundAppState(),
    budget: budgetItem,
    cohortCache: cohortCacheItem,
    rejected: rejectedItem,
    progress: browserProgress,
    indexedDB,
  };
}
