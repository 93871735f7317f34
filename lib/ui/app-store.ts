/**
 * The pages' view of the background's single source of truth. It loads with `state.get`, then
 * follows every write the background makes (storage.onChanged via `watchAppState`), so a running
 * sync's progress shows live. It holds no secret: AppState has none. Commands go to the background;
 * the store only tracks which are in flight and what went wrong, per key.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { readAppState, watchAppState } from '../storage/app-state';
import type { AppStateView as AppState } from '../storage/progress';
import { sendToBackground } from '../send';

export interface AppStore {
  state: AppState | null;
  /** Why the first load failed, if it did (the page still shows what storage holds). */
  loadError: string | null;
  /** Keys of commands in flight, e.g. `sync.pause:123:45`. */
  pending: Record<string, true>;
  /** The last error of each command key. */
  errors: Record<string, string>;
}

export type AppStoreApi = StoreApi<AppStore>;

export function createAppStore(): AppStoreApi {
  return createStore<AppStore>(() => ({ state: null, loadError: null, pending: {}, errors: {} }));
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}

/**
 * Starts following the background's state; returns the function that stops it. A state written
 * while `state.get` is in flight wins over the (older) reply.
 */
export function connectAppStore(store: AppStoreApi): () => void {
  let watched = false;
  const stop = watchAppState((state) => {
    watched = true;
    store.setState({ state, loadError: null });
  });
  void (async () => {
    try {
      const state = await sendToBackground({ type: 'state.get' });
      if (!watched) store.setState({ state, loadError: null });
    } catch (error) {
      // The background did not answer: show what storage holds, and say so.
      const loadError = errorMessage(error);
      try {
        const state = await readAppState();
        if (!watched) store.setState({ state, loadError });
      } catch {
        if (!watched) store.setState({ loadError });
      }
    }
  })();
  return stop;
}

/**
 * Runs a command under `key`: marks it pending, records its error (cleared on the next try).
 * Returns the command's value, or undefined when it failed.
 */
export async function runCommand<T>(store: AppStoreApi, key: string, command: () => Promise<T>): Promise<T | undefined> {
  store.setState((current) => {
    const errors = { ...current.errors };
    delete errors[key];
    return { pending: { ...current.pending, [key]: true }, errors };
  });
  try {
    return await command();
  } catch (error) {
    store.setState((current) => ({ errors: { ...current.errors, [key]: errorMessage(error) } }));
    return undefined;
  } finally {
    store.setState((current) => {
      const pending = { ...current.pending };
      delete pending[key];
      return { pending };
    });
  }
}

export function clearCommandError(store: AppStoreApi, key: string): void {
  store.setState((current) => {
    const errors = { ...current.errors };
    delete errors[key];
    return { errors };
  });
}

/** The page's one store. */
export const appStore = createAppStore();

export function useAppStore<T>(selector: (store: AppStore) => T): T {
  return useStore(appStore, selector);
}
