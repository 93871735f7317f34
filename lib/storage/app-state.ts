/**
 * The pages' side of the app state: connections (no secrets), settings and syncs, with each
 * running sync's live progress folded in (lib/storage/progress.ts). Only the background writes;
 * pages read and subscribe. The engine itself gets its store injected (lib/storage/items.ts).
 */
import browser from 'webextension-polyfill';
import { backgroundAppState, listProgress, pageAppStateItem } from '../background/storage-items';
import { INITIAL_APP_STATE, parseAppState } from './app-state-shape';
import { parseProgress, PROGRESS_KEY_PREFIX, withProgress, type AppStateView, type RunProgress } from './progress';
import type { AppState } from './schema';

export { APP_STATE_KEY, INITIAL_APP_STATE, parseAppState } from './app-state-shape';

/** Progress records, or none where this context may not read storage.session. */
async function progressRecords(): Promise<RunProgress[]> {
  try {
    return await listProgress();
  } catch {
    return [];
  }
}

async function readStored(): Promise<AppState> {
  const raw = await pageAppStateItem.getValue();
  return raw === null ? INITIAL_APP_STATE : parseAppState(raw);
}

export async function readAppState(): Promise<AppStateView> {
  return withProgress(await readStored(), await progressRecords());
}

/** The background's serialised write; the engine's own writes go through the same store. */
export function updateAppState(change: (state: AppState) => AppState): Promise<AppState> {
  return backgroundAppState().update(change);
}

/** Calls `listener` with every new state or progress the background writes; returns the unsubscribe function. */
export function watchAppState(listener: (state: AppStateView) => void): () => void {
  let state: AppState | undefined;
  let progress = new Map<string, RunProgress>();
  let stopped = false;
  const emit = () => {
    if (state && !stopped) listener(withProgress(state, [...progress.values()]));
  };
  const unwatchState = pageAppStateItem.watch((raw) => {
    state = parseAppState(raw);
    emit();
  });
  const onChanged = (changes: Record<string, browser.Storage.StorageChange>, area: string) => {
    if (area !== 'session') return;
    let changed = false;
    for (const [key, change] of Object.entries(changes)) {
      if (!key.startsWith(PROGRESS_KEY_PREFIX)) continue;
      const syncId = key.slice(PROGRESS_KEY_PREFIX.length);
      const record = parseProgress(change.newValue);
      if (record) progress.set(syncId, record);
      else progress.delete(syncId);
      changed = true;
    }
    if (!changed) return;
    // A tick before the first state write still needs the state to show against.
    if (state) emit();
    else void readStored().then((current) => ((state ??= current), emit()));
  };
  browser.storage.onChanged.addListener(onChanged);
  void progressRecords().then((records) => {
    progress = new Map([...records.map((record) => [record.syncId, record] as const), ...progress]);
    emit();
  });
  return () => {
    stopped = true;
    unwatchState();
    browser.storage.onChanged.removeListener(onChanged);
  };
}
