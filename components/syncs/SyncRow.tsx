/**
 * One sync with its full state and its actions: cohort name, type, status (with progress and ETA
 * while running, the reason when paused or failed, Confirm / Discard when it needs review), the
 * last run's time and counts, and the next run of a dynamic sync.
 */
import { useId, useState } from 'react';
import type { SyncView as Sync } from '../../lib/storage/progress';
import { useAppStore, appStore } from '../../lib/ui/app-store';
import {
  formatAgo,
  formatCount,
  formatDateTime,
  formatEta,
  formatPercent,
  formatRelative,
  describeSkips,
  totalSkipped,
} from '../../lib/ui/format';
import { PHASE_LABEL, SYNC_TYPE_LABEL } from '../../lib/ui/labels';
import {
  COMMAND_LABEL,
  availableCommands,
  commandKey,
  reviewSync,
  runSyncCommand,
  type SyncCommand,
} from '../../lib/ui/sync-actions';
import { Button } from '../ui/Button';
import { Notice } from '../ui/Notice';
import { ProgressBar } from '../ui/ProgressBar';
import { StatusBadge } from '../ui/StatusBadge';
import { Tag } from '../ui/Tag';

export interface SyncRowProps {
  sync: Sync;
  now: number;
  /** Popup: short; options page: every detail. */
  variant?: 'compact' | 'full';
  /** Where "View history" goes (the popup opens the options page; the options page scrolls). */
  onViewHistory?: (sync: Sync) => void;
  as?: 'li' | 'div';
}

export function SyncRow({ sync, now, variant = 'compact', onViewHistory, as = 'li' }: SyncRowProps) {
  const id = useId();
  const pending = useAppStore((store) => store.pending);
  const errors = useAppStore((store) => store.errors);
  const [showError, setShowError] = useState(variant === 'full');
  const [confirmingStop, setConfirmingStop] = useState(false);
  const { status } = sync;
  const Root = as;

  const commandError = [...availableCommands(sync), 'sync.review' as const]
    .map((command) => errors[commandKey(command, sync.id)])
    .find(Boolean);

  const button = (command: SyncCommand) => {
    const key = commandKey(command, sync.id);
    if (command === 'sync.stop') {
      return (
        <Button key={command} size="sm" variant="danger" onClick={() => setConfirmingStop(true)} disabled={confirmingStop}>
          {COMMAND_LABEL[command]}
        </Button>
      );
    }
    return (
      <Button
        key={command}
        size="sm"
        variant={command === 'sync.now' || command === 'sync.resume' ? 'primary' : 'secondary'}
        busy={Boolean(pending[key])}
        onClick={() => void runSyncCommand(appStore, command, sync.id)}
        aria-describedby={`${id}-name`}
      >
        {COMMAND_LABEL[command]}
      </Button>
    );
  };

  const last = sync.lastRun;
  return (
    <Root className={`cs-sync cs-sync--${status.state} cs-sync--${variant}`} data-sync-id={sync.id} aria-labelledby={`${id}-name`}>
      <div className="cs-sync__head">
        <h3 className="cs-sync__name" id={`${id}-name`} title={sync.cohortName}>
          {sync.cohortName}
        </h3>
        <div className="cs-actions">
          <Tag tone="neutral">{SYNC_TYPE_LABEL[sync.type]}</Tag>
          <StatusBadge state={status.state} />
        </div>
      </div>
      {variant !== 'compact' && (sync.segmentName ?? last?.segmentName) ? (
        <p className="cs-muted cs-sync__segment">CleverTap segment: “{sync.segmentName ?? last?.segmentName}”</p>
      ) : null}

      {status.state === 'running' ? (
        <div className="cs-sync__detail">
          <p className="cs-sync__phase">
            {PHASE_LABEL[status.phase]}
            {status.etaAt !== undefined ? <span className="cs-muted"> · {formatEta(status.etaAt, now)}</span> : null}
          </p>
          <ProgressBar done={status.done} total={status.total} label={`${sync.cohortName}: progress`} />
        </div>
      ) : null}

      {status.state === 'paused' ? <p className="cs-sync__reason">Paused: {status.reason}</p> : null}

      {status.state === 'failed' ? (
        <div className="cs-sync__detail">
          <p className={`cs-sync__reason${showError ? '' : ' cs-sync__reason--clamped'}`}>Failed: {status.reason}</p>
          {showError ? (
            <div className="cs-sync__error" id={`${id}-error`}>
              {last ? (
                <p className="cs-muted">
                  Last attempt {formatDateTime(last.finishedAt)}
                  {last.counts.rejected ? ` · ${formatCount(last.counts.rejected)} records rejected by CleverTap` : ''}
                </p>
              ) : null}
              {onViewHistory && variant === 'compact' ? (
                <Button size="sm" variant="ghost" onClick={() => onViewHistory(sync)}>
                  View history
                </Button>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : null}

      {status.state === 'needs-review' ? (
        <Notice tone="accent" title="Waiting for your review">
          <p className="cs-notice__line">{status.reason}</p>
          <p className="cs-notice__line">
            This run would remove {formatCount(status.removals)} of {formatCount(status.segmentSize)} users
            {status.segmentSize > 0 ? ` (${formatPercent(status.removals / status.segmentSize)})` : ''} from the CleverTap
            segment. Confirm to apply it, or Discard to keep the segment as it is.
          </p>
          <div className="cs-actions">
            <Button
              size="sm"
              variant="primary"
              busy={Boolean(pending[commandKey('sync.review', sync.id)])}
              onClick={() => void reviewSync(appStore, sync.id, 'confirm')}
              aria-describedby={`${id}-name`}
            >
              Confirm
            </Button>
            <Button
              size="sm"
              disabled={Boolean(pending[commandKey('sync.review', sync.id)])}
              onClick={() => void reviewSync(appStore, sync.id, 'discard')}
              aria-describedby={`${id}-name`}
            >
              Discard
            </Button>
          </div>
        </Notice>
      ) : null}

      {sync.behindUntil && sync.behindUntil > now ? (
        <p className="cs-sync__reason cs-muted">
          Behind schedule: the Mixpanel query budget allows the next run {formatRelative(sync.behindUntil, now)}.
        </p>
      ) : null}

      <p className="cs-sync__meta">
        <span>{last ? `Last sync ${formatAgo(last.finishedAt, now)}` : 'Not synced yet'}</span>
        {sync.type === 'dynamic' && sync.nextRunAt && status.state !== 'paused' ? (
          <span>Next run {formatRelative(sync.nextRunAt, now)}</span>
        ) : null}
      </p>
      {last ? (
        <dl className="cs-counts" aria-label="Last sync counts">
          <div>
            <dt>Exported</dt>
            <dd>{formatCount(last.counts.exported)}</dd>
          </div>
          <div title={describeSkips(last.counts.skipped)}>
            <dt>Skipped</dt>
            <dd>{formatCount(totalSkipped(last.counts.skipped))}</dd>
          </div>
          <div>
            <dt>Added</dt>
            <dd>{formatCount(last.counts.added)}</dd>
          </div>
          <div>
            <dt>Removed</dt>
            <dd>{formatCount(last.counts.removed)}</dd>
          </div>
          {variant === 'full' || last.counts.rejected ? (
            <div>
              <dt>Rejected</dt>
              <dd>{formatCount(last.counts.rejected)}</dd>
            </div>
          ) : null}
        </dl>
      ) : null}
      {variant === 'full' && last && totalSkipped(last.counts.skipped) > 0 ? (
        <p className="cs-sync__meta">Skipped: {describeSkips(last.counts.skipped)}</p>
      ) : null}

      {commandError ? (
        <p className="cs-field__error" role="alert">
          {commandError}
        </p>
      ) : null}

      {confirmingStop ? (
        <div className="cs-confirm" role="group" aria-label={`Stop ${sync.cohortName}?`}>
          <p className="cs-confirm__text">
            Stop syncing “{sync.cohortName}”? CleverTap keeps the segment as it is now; it is no longer updated.
          </p>
          <div className="cs-actions">
            <Button
              size="sm"
              variant="danger"
              busy={Boolean(pending[commandKey('sync.stop', sync.id)])}
              onClick={() => void runSyncCommand(appStore, 'sync.stop', sync.id).then(() => setConfirmingStop(false))}
            >
              Stop sync
            </Button>
            <Button size="sm" onClick={() => setConfirmingStop(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}

      <div className="cs-actions cs-sync__actions">
        {availableCommands(sync).map(button)}
        {status.state === 'failed' && variant === 'compact' ? (
          <Button size="sm" variant="ghost" aria-expanded={showError} aria-controls={`${id}-error`} onClick={() => setShowError((shown) => !shown)}>
            {showError ? 'Hide error' : 'View error'}
          </Button>
        ) : null}
        {variant === 'full' && onViewHistory ? (
          <Button size="sm" variant="ghost" onClick={() => onViewHistory(sync)}>
            History
          </Button>
        ) : null}
      </div>
    </Root>
  );
}
