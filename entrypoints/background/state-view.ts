/** The current view, read from the stored state and the runs' progress records. */
import type { StateView } from '../../lib/messages';
import { APP_STATE_KEY } from '../../lib/storage/app-state-shape';
import type { EngineStorage } from '../../lib/storage/items';
import { PROGRESS_KEY_PREFIX } from '../../lib/storage/progress';
import { toStateView } from './views';

export async function readStateView(storage: EngineStorage): Promise<StateView> {
  const [state, progress] = await Promise.all([storage.appState.read(), storage.progress.list()]);
  return toStateView(state, progress);
}

/** Whether a storage change touches what a view shows: the stored state or a progress record. */
export function changesView(changes: Record<string, unknown>, area: string): boolean {
  if (area === 'local') return APP_STATE_KEY in changes;
  if (area === 'session') return Object.keys(changes).some((key) => key.startsWith(PROGRESS_KEY_PREFIX));
  return false;
}
