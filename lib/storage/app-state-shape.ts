/** The app state's key, its empty value and its parser: shared by the background and the pages. */
import { AppStateSchema, DEFAULT_SETTINGS, NO_CONNECTIONS, type AppState } from './schema';

export const APP_STATE_KEY = 'appState';

export const INITIAL_APP_STATE: AppState = { connections: NO_CONNECTIONS, settings: DEFAULT_SETTINGS, syncs: [] };

/** Parsed on every read, so a state written by an older version or tampered with never flows on unchecked. */
export function parseAppState(raw: unknown): AppState {
  const parsed = AppStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : INITIAL_APP_STATE;
}

/** The app state's version in storage (WXT keeps it beside the value, under `appState$`). */
export const APP_STATE_VERSION = 2;

/**
 * Version 1 kept a running sync's progress in its status and the last run's rejections in the
 * state; version 2 keeps them under their own keys and in the history. Unknown shapes pass
 * through untouched, for the parser to judge.
 */
export function migrateAppStateToV2(raw: unknown): unknown {
  if (!isRecord(raw) || !Array.isArray(raw.syncs)) return raw;
  return {
    ...raw,
    syncs: raw.syncs.map((sync: unknown) => {
      if (!isRecord(sync)) return sync;
      const next: Record<string, unknown> = { ...sync };
      if (isRecord(sync.status) && sync.status.state === 'running') next.status = { state: 'running' };
      if (isRecord(sync.lastRun)) {
        const { rejections: _rejections, ...lastRun } = sync.lastRun;
        next.lastRun = lastRun;
      }
      return next;
    }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
