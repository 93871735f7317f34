/** The current view, read from the stored state and the runs' progress records. */
import browser from 'webextension-polyfill';
import type { StateView } from '../../lib/messages';
import { APP_STATE_KEY, readAppState } from '../../lib/storage/app-state';
import { PROGRESS_KEY_PREFIX, progressRecords, toStateView } from './views';

export async function readStateView(): Promise<StateView> {
  const [state, session] = await Promise.all([readAppState(), readSession()]);
  return toStateView(state, progressRecords(session));
}

/** storage.session is where progress lives; a browser without it simply has no progress records. */
async function readSession(): Promise<Record<string, unknown>> {
  const session = (browser.storage as Partial<typeof browser.storage>).session;
  return session ? session.get(null) : {};
}

/** Whether a storage change touches what a view shows: the stored state or a progress record. */
export function changesView(changes: Record<string, unknown>, area: string): boolean {
  if (area === 'local') return APP_STATE_KEY in changes;
  if (area === 'session') return Object.keys(changes).some((key) => key.startsWith(PROGRESS_KEY_PREFIX));
  return false;
}
