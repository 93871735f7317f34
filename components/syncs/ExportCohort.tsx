/**
 * "Export a cohort…": picks a cohort from Mixpanel's cohort list (through the background) and
 * starts a One-time or Dynamic sync, for when the in-page "…" menu cannot be used.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { CohortSummary, SyncView } from '../../lib/messages';
import type { SyncType } from '../../lib/shapes';
import { sendToBackground } from '../../lib/send';
import { errorMessage } from '../../lib/ui/app-store';
import { formatCount } from '../../lib/ui/format';
import { SYNC_TYPE_LABEL } from '../../lib/ui/labels';
import { Button } from '../ui/Button';
import { RadioGroup, SelectField } from '../ui/Field';
import { Notice } from '../ui/Notice';
import { useCommand } from '../ui/use-command';

const TYPE_OPTIONS: readonly { id: SyncType; label: string; hint: string }[] = [
  { id: 'one-time', label: SYNC_TYPE_LABEL['one-time'], hint: 'Sends the cohort’s members once.' },
  { id: 'dynamic', label: SYNC_TYPE_LABEL.dynamic, hint: 'Keeps the segment up to date every 15 minutes.' },
];

export function ExportCohortForm({
  syncs,
  onStarted,
  onCancel,
}: {
  syncs: readonly SyncView[];
  onStarted: (sync: SyncView) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [cohorts, setCohorts] = useState<CohortSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [cohortId, setCohortId] = useState('');
  const [syncType, setSyncType] = useState<SyncType>('one-time');
  const { busy, error, run } = useCommand();
  const [reload, setReload] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setLoadError(null);
    sendToBackground({ type: 'cohorts.list', refresh: reload > 0 }).then(
      ({ cohorts: list }) => {
        if (cancelled) return;
        const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name));
        setCohorts(sorted);
        setCohortId((current) => current || (sorted[0] ? String(sorted[0].id) : ''));
      },
      (caught: unknown) => {
        if (!cancelled) setLoadError(errorMessage(caught));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [reload]);

  const chosen = cohorts?.find((cohort) => String(cohort.id) === cohortId);
  const existing = chosen ? syncs.find((sync) => sync.cohortId === chosen.id) : undefined;

  async function start(event: FormEvent) {
    event.preventDefault();
    if (!chosen) return;
    const sync = await run(() =>
      sendToBackground({ type: 'sync.start', cohortId: chosen.id, cohortName: chosen.name, syncType }),
    );
    if (sync) onStarted(sync);
  }

  return (
    <form className="cs-export" onSubmit={(event) => void start(event)} aria-labelledby={`${id}-title`}>
      <h2 className="cs-export__title" id={`${id}-title`}>
        Export a cohort to CleverTap
      </h2>
      {loadError ? (
        <Notice
          tone="danger"
          title="Could not load the cohorts."
          action={
            <Button size="sm" onClick={() => setReload((count) => count + 1)}>
              Try again
            </Button>
          }
        >
          {loadError}
        </Notice>
      ) : cohorts === null ? (
        <p className="cs-muted" role="status">
          Loading cohorts from Mixpanel…
        </p>
      ) : cohorts.length === 0 ? (
        <p className="cs-muted">This Mixpanel project has no cohorts yet.</p>
      ) : (
        <>
          <SelectField
            label="Cohort"
            value={cohortId}
            options={cohorts.map((cohort) => ({ id: String(cohort.id), label: `${cohort.name} (${formatCount(cohort.count)} users)` }))}
            onChange={setCohortId}
            hint={
              existing
                ? 'This cohort already has a sync; starting again replaces it and overwrites the segment.'
                : 'Only members with $CleverTap_user_id are exported.'
            }
          />
          <RadioGroup legend="Sync type" name={`${id}-type`} value={syncType} options={TYPE_OPTIONS} onChange={setSyncType} />
        </>
      )}
      {error ? <Notice tone="danger" title="The sync did not start.">{error}</Notice> : null}
      <div className="cs-actions">
        <Button type="submit" variant="primary" busy={busy} disabled={!chosen}>
          Start Sync
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
        <Button variant="ghost" size="sm" onClick={() => setReload((count) => count + 1)} disabled={cohorts === null && !loadError}>
          Refresh list
        </Button>
      </div>
    </form>
  );
}
