/**
 * The single source of truth every page watches: connections (no secrets), settings and syncs,
 * kept under one key in storage.local. Only the background writes it; pages read and subscribe.
 */
import browser from 'webextension-polyfill';
import { AppStateSchema, DEFAULT_SETTINGS, NO_CONNECTIONS, type AppState } from './schema';

export const APP_STATE_KEY = 'appState';

export const INITIAL_APP_STATE: AppState = { connections: NO_CONNECTIONS, settings: DEFAULT_SETTINGS, syncs: [] };

export function parseAppState(raw: unknown): AppState {
  const parsed = AppStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : INITIAL_APP_STATE;
}

export async function readAppState(): Promise<AppState> {
  const stored = await browser.storage.local.get(APP_STATE_KEY);
  return stored[APP_STATE_KEY] === undefined ? INITIAL_APP_STATE : parseAppState(stored[APP_STATE_KEY]);
}

let writeChain: Promise<unknown> = Promise.resolve();

/** Serialised read-modify-write, so concurrent updates inside the worker never lose each other. */
export function updateAppState(change: (state: AppState) => AppState): Promise<AppState> {
  const next = writeChain.then(async () => {
    const updated = change(await readAppState());
    await browser.storage.local.set({ [APP_STATE_KEY]: updated });
    return updated;
  });
  writeChain = next.catch(() => undefined);
  return next;
}

/** Calls `listener` with every new state the background writes; returns the unsubscribe function. */
export function watchAppState(listener: (state: AppState) => void): () => void {
  const onChanged = (changes: Record<string, browser.Storage.StorageChange>, area: string) => {
    const change = changes[APP_STATE_KEY];
    if (area === 'local' && change) listener(parseAppState(change.newValue));
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => browser.storage.onChanged.removeListener(onChanged);
}
