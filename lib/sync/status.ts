/**
 * The one function that moves a sync from one status to the next. Every status the engine writes
 * is `nextStatus(sync, event)`: commands and run outcomes are named events, and the rules for
 * which event may change which status live here and nowhere else.
 */
import type { AppState, LastRun, Sync, SyncStatus } from '../storage/schema';

export const PAUSED_BY_USER = 'Paused by you';

export type SyncEvent =
  /** `start` or `syncNow` by the user (a sync already running keeps running). */
  | { type: 'start' }
  | { type: 'sync-now' }
  | { type: 'resume' }
  | { type: 'pause'; reason: string }
  /** The run queue took the sync's run. */
  | { type: 'run-started' }
  | { type: 'run-committed'; lastRun: LastRun; nextRunAt?: number }
  | { type: 'run-needs-review'; reason: string; removals: number; segmentSize: number }
  | { type: 'run-paused'; reason: string }
  | { type: 'run-failed'; reason: string; nextRunAt?: number }
  /** Mixpanel's hourly share is used up: the run waits with its checkpoint until `retryAt`. */
  | { type: 'run-waiting-for-budget'; retryAt: number }
  | { type: 'review-confirmed' }
  | { type: 'review-discarded'; lastRun: LastRun }
  /** The scheduler set the dynamic sync's alarm. */
  | { type: 'scheduled'; nextRunAt: number };

const scheduled: SyncStatus = { state: 'scheduled' };

export function nextStatus(sync: Sync, event: SyncEvent): Sync {
  const state = sync.status.state;
  const running = state === 'running';
  const to = (status: SyncStatus, extra: Partial<Sync> = {}): Sync => ({ ...sync, ...extra, status });
  switch (event.type) {
    case 'start':
    case 'resume':
      return running ? sync : to(scheduled);
    case 'sync-now':
      return state === 'paused' ? to(scheduled) : sync;
    case 'pause':
      return to({ state: 'paused', reason: event.reason });
    case 'run-started':
      // Paused or waiting for review: the queue must not have taken it; nothing changes.
      if (state === 'paused' || state === 'needs-review') return sync;
      return to({ state: 'running' }, { behindUntil: undefined });
    case 'run-committed': {
      const extra = { lastRun: event.lastRun, ...(event.nextRunAt === undefined ? {} : { nextRunAt: event.nextRunAt }) };
      // A pause that landed while the run committed keeps the sync paused; the run still counts.
      return running ? to({ state: 'synced' }, extra) : { ...sync, ...extra };
    }
    case 'run-needs-review':
      return running
        ? to({ state: 'needs-review', reason: event.reason, removals: event.removals, segmentSize: event.segmentSize })
        : sync;
    case 'run-paused':
      return running ? to({ state: 'paused', reason: event.reason }) : sync;
    case 'run-failed':
      return running
        ? to({ state: 'failed', reason: event.reason }, event.nextRunAt === undefined ? {} : { nextRunAt: event.nextRunAt })
        : sync;
    case 'run-waiting-for-budget':
      return running ? to(scheduled, { behindUntil: event.retryAt }) : sync;
    case 'review-confirmed':
      return state === 'needs-review' ? to(scheduled) : sync;
    case 'review-discarded':
      return state === 'needs-review' ? to({ state: 'synced' }, { lastRun: event.lastRun }) : sync;
    case 'scheduled':
      return { ...sync, nextRunAt: event.nextRunAt };
  }
}

const NEEDS_ATTENTION: ReadonlySet<SyncStatus['state']> = new Set(['paused', 'failed', 'needs-review']);

/** The toolbar badge: "!" when a sync needs the user, "…" while one runs, nothing otherwise. */
export function badgeFor(state: AppState): { text: string; color?: string } {
  const attention = state.syncs.some((sync) => NEEDS_ATTENTION.has(sync.status.state) && !isUserPause(sync.status));
  if (attention) return { text: '!', color: '#c62828' };
  if (state.syncs.some((sync) => sync.status.state === 'running')) return { text: '…', color: '#4f44e0' };
  return { text: '' };
}

function isUserPause(status: SyncStatus): boolean {
  return status.state === 'paused' && status.reason === PAUSED_BY_USER;
}
