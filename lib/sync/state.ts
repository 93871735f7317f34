/** Small helpers over the app state for the sync service: find, change and badge syncs. */
import browser from 'webextension-polyfill';
import { updateAppState } from '../storage/app-state';
import type { AppState, Sync, SyncStatus } from '../storage/schema';

export async function patchSync(syncId: string, change: (sync: Sync) => Sync): Promise<Sync | undefined> {
  let patched: Sync | undefined;
  const state = await updateAppState((current) => ({
    ...current,
    syncs: current.syncs.map((sync) => (sync.id === syncId ? (patched = change(sync)) : sync)),
  }));
  await updateBadge(state);
  return patched;
}

export function setStatus(syncId: string, status: SyncStatus, extra: Partial<Sync> = {}): Promise<Sync | undefined> {
  return patchSync(syncId, (sync) => ({ ...sync, ...extra, status }));
}

const NEEDS_ATTENTION: ReadonlySet<SyncStatus['state']> = new Set(['paused', 'failed', 'needs-review']);

/** The toolbar badge: "!" when a sync needs the user, "…" while one runs, nothing otherwise. */
export async function updateBadge(state: AppState): Promise<void> {
  const attention = state.syncs.some((sync) => NEEDS_ATTENTION.has(sync.status.state) && !isUserPause(sync.status));
  const running = state.syncs.some((sync) => sync.status.state === 'running');
  const text = attention ? '!' : running ? '…' : '';
  try {
    await browser.action.setBadgeText({ text });
    if (text) await browser.action.setBadgeBackgroundColor({ color: attention ? '#c62828' : '#4f44e0' });
  } catch {
    // No toolbar (tests, or a browser without the action API): nothing to show.
  }
}

export const PAUSED_BY_USER = 'Paused by you';

function isUserPause(status: SyncStatus): boolean {
  return status.state === 'paused' && status.reason === PAUSED_BY_USER;
}
