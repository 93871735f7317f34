/** Words for a sync's state: the dialog shows status as text, never as colour alone. */
import type { SyncView as Sync } from '../../lib/storage/progress';
import type { RunPhase } from '../../lib/storage/schema';

const PHASES: Record<RunPhase, string> = {
  reading: 'reading the cohort from Mixpanel',
  reviewing: 'comparing with the last export',
  delivering: 'updating CleverTap',
  committing: 'saving the result',
};

export const SYNC_TYPE_LABELS = {
  'one-time': 'One-time sync',
  dynamic: 'Dynamic sync (every 15 minutes)',
} as const;

const count = (value: number) => value.toLocaleString('en-US');

export function formatTime(epochMs: number): string {
  return new Date(epochMs).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A short status title: "Scheduled", "Running", "Synced", "Paused", "Failed", "Needs review". */
export function statusTitle(sync: Sync): string {
  switch (sync.status.state) {
    case 'scheduled':
      return 'Scheduled';
    case 'running':
      return 'Running';
    case 'synced':
      return 'Synced';
    case 'paused':
      return 'Paused';
    case 'failed':
      return 'Failed';
    case 'needs-review':
      return 'Needs review';
  }
}

/** One sentence on what the sync is doing or did. */
export function statusDetail(sync: Sync): string {
  const status = sync.status;
  switch (status.state) {
    case 'scheduled':
      return sync.nextRunAt ? `The next export starts at ${formatTime(sync.nextRunAt)}.` : 'The first export starts shortly.';
    case 'running': {
      const progress = status.total > 0 ? ` (${count(status.done)} of ${count(status.total)})` : '';
      const eta = status.etaAt ? ` Expected to finish at ${formatTime(status.etaAt)}.` : '';
      return `Now ${PHASES[status.phase]}${progress}.${eta}`;
    }
    case 'synced': {
      const run = sync.lastRun;
      const last = run
        ? `Last export at ${formatTime(run.finishedAt)}: ${count(run.counts.exported)} users in the segment` +
          `${run.counts.added || run.counts.removed ? ` (${count(run.counts.added)} added, ${count(run.counts.removed)} removed)` : ''}.`
        : 'Exported.';
      const next = sync.type === 'dynamic' && sync.nextRunAt ? ` Next export at ${formatTime(sync.nextRunAt)}.` : '';
      return last + next;
    }
    case 'paused':
      return `Paused: ${status.reason}`;
    case 'failed':
      return `The last export failed: ${status.reason}`;
    case 'needs-review':
      return `This export would remove ${count(status.removals)} of ${count(status.segmentSize)} users from the segment, so it waits for your review. ${status.reason}`;
  }
}
