/** Which commands a sync offers in each state, and how they reach the background. */
import type { SyncView } from '../messages';
import { sendToBackground } from '../send';
import { runCommand, type AppStoreApi } from './app-store';

export type SyncCommand = 'sync.now' | 'sync.pause' | 'sync.resume' | 'sync.stop';
export type ReviewDecision = 'confirm' | 'discard';

export function commandKey(command: SyncCommand | 'sync.review', syncId: string): string {
  return `${command}:${syncId}`;
}

/** The state-changing buttons of a sync, in the order they show. Stop is always last. */
export function availableCommands(sync: SyncView): SyncCommand[] {
  switch (sync.status.state) {
    case 'scheduled':
      return sync.type === 'dynamic' ? ['sync.now', 'sync.pause', 'sync.stop'] : ['sync.now', 'sync.stop'];
    case 'queued':
    case 'running':
      return ['sync.pause', 'sync.stop'];
    case 'synced':
      return sync.type === 'dynamic' ? ['sync.now', 'sync.pause', 'sync.stop'] : ['sync.now', 'sync.stop'];
    case 'paused':
      return ['sync.resume', 'sync.stop'];
    case 'failed':
      return ['sync.now', 'sync.stop'];
    case 'needs-review':
      return ['sync.stop'];
  }
}

export const COMMAND_LABEL: Record<SyncCommand, string> = {
  'sync.now': 'Sync now',
  'sync.pause': 'Pause',
  'sync.resume': 'Resume',
  'sync.stop': 'Stop',
};

export function runSyncCommand(store: AppStoreApi, command: SyncCommand, syncId: string) {
  return runCommand(store, commandKey(command, syncId), () => sendToBackground({ type: command, syncId }));
}

export function reviewSync(store: AppStoreApi, syncId: string, decision: ReviewDecision) {
  return runCommand(store, commandKey('sync.review', syncId), () =>
    sendToBackground({ type: 'sync.review', syncId, decision }),
  );
}
