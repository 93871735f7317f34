/**
 * The pages' view of the background's state. It follows the state client (lib/state-client.ts),
 * so a running sync's progress shows live, and holds no secret: the view has none. Commands go to
 * the background; the store only tracks which are in flight and what went wrong, per key.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { StateView } from '../messages';
import { stateClient, type StateClient } from '../state-client';

export interface AppStore {
  state: StateView | null;
  /** Why the background's state cannot be had right now (the page keeps showing the last view it got). */
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

/** Starts following the background's state; returns the function that stops it. */
export function connectAppStore(store: AppStoreApi, client: StateClient = stateClient): () => void {
  return client.subscribe(({ view, error }) => store.setState({ state: view, loadError: error }));
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
