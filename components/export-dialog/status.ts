/**
 * The dialog's status sentences: status as text, never as colour alone. The words themselves
 * (status, phase, sync type) come from lib/ui/labels.ts, which every other screen uses too.
 */
import type { SyncView } from '../../lib/messages';
import type { SyncType } from '../../lib/shapes';
import { formatCount, formatDateTime } from '../../lib/ui/format';
import { PHASE_LABEL, STATUS_LABEL, syncTypeName } from '../../lib/ui/labels';

/** The dialog names the period beside the choice, as the article does ("every fifteen minutes"). */
export const SYNC_TYPE_LABELS: Record<SyncType, string> = {
  'one-time': syncTypeName('one-time'),
  dynamic: `${syncTypeName('dynamic')} (every 15 minutes)`,
};

const inSentence = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

/** Where a queued sync waits: runs go one at a time. */
export function queuePlace(place: number): string {
  return place <= 1
    ? 'Next in line: it starts when the current export finishes.'
    : `Waiting for ${formatCount(place - 1)} other ${place === 2 ? 'export' : 'exports'} to finish first (one runs at a time).`;
}

/** A short status title: "Scheduled", "Queued", "Running", "Synced", "Paused", "Failed", "Needs review". */
export function statusTitle(sync: SyncView): string {
  return STATUS_LABEL[sync.status.state];
}

/** One sentence on what the sync is doing or did. */
export function statusDetail(sync: SyncView): string {
  const status = sync.status;
  switch (status.state) {
    case 'scheduled':
      return sync.nextRunAt ? `The next export starts at ${formatDateTime(sync.nextRunAt)}.` : 'The first export starts shortly.';
    case 'queued': {
      const eta = status.etaAt ? ` Expected to start at ${formatDateTime(status.etaAt)}.` : '';
      return `${queuePlace(status.place)}${eta}`;
    }
    case 'running': {
      const progress = status.total > 0 ? ` (${formatCount(status.done)} of ${formatCount(status.total)})` : '';
      const eta = status.etaAt ? ` Expected to finish at ${formatDateTime(status.etaAt)}.` : '';
      return `Now ${inSentence(PHASE_LABEL[status.phase])}${progress}.${eta}`;
    }
    case 'synced': {
      const run = sync.lastRun;
      const changes = run && (run.counts.added || run.counts.removed)
        ? ` (${formatCount(run.counts.added)} added, ${formatCount(run.counts.removed)} removed)`
        : '';
      const last = run
        ? `Last export at ${formatDateTime(run.finishedAt)}: ${formatCount(run.counts.exported)} users in the segment${changes}.`
        : 'Exported.';
      const next = sync.type === 'dynamic' && sync.nextRunAt ? ` Next export at ${formatDateTime(sync.nextRunAt)}.` : '';
      return last + next;
    }
    case 'paused':
      return `Paused: ${status.reason}`;
    case 'failed':
      return `The last export failed: ${status.reason}`;
    case 'needs-review':
      return `This export would remove ${formatCount(status.removals)} of ${formatCount(status.segmentSize)} users from the segment, so it waits for your review. ${status.reason}`;
  }
}
