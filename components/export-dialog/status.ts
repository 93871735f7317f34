/**
 * The dialog's status sentences: status as text, never as colour alone. The words themselves
 * (status, phase, sync type) come from lib/ui/labels.ts, which every other screen uses too.
 */
import type { Sync, SyncType } from '../../lib/storage/schema';
import { formatCount, formatDateTime } from '../../lib/ui/format';
import { PHASE_LABEL, STATUS_LABEL, syncTypeName } from '../../lib/ui/labels';

/** The dialog names the period beside the choice, as the article does ("every fifteen minutes"). */
export const SYNC_TYPE_LABELS: Record<SyncType, string> = {
  'one-time': syncTypeName('one-time'),
  dynamic: `${syncTypeName('dynamic')} (every 15 minutes)`,
};

const inSentence = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

/** A short status title: "Scheduled", "Running", "Synced", "Paused", "Failed", "Needs review". */
export function statusTitle(sync: Sync): string {
  return STATUS_LABEL[sync.status.state];
}

/** One sentence on what the sync is doing or did. */
export function statusDetail(sync: Sync): string {
  const status = sync.status;
  switch (status.state) {
    case 'scheduled':
      return sync.nextRunAt ? `The next export starts at ${formatDateTime(sync.nextRunAt)}.` : 'The first export starts shortly.';
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
