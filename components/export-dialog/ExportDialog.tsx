/**
 * "Export to CleverTap": the dialog behind the cohort menu's new item. It shows what will happen
 * before it happens (cohort size, and on request how many members carry `$CleverTap_user_id`),
 * starts a One-time or Dynamic sync, or shows and steers the cohort's existing sync.
 * Everything from the page or the APIs renders as text (React escaping, never HTML).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CohortPreview, CohortSummary } from '../../lib/messages';
import { resolveCohort, type CohortRef, type Resolution } from '../../lib/overlay/cohort';
import { sendToBackground } from '../../lib/send';
import { watchAppState } from '../../lib/storage/app-state';
import type { AppStateView as AppState, SyncView as Sync } from '../../lib/storage/progress';
import { syncIdFor, type SyncType } from '../../lib/storage/schema';
import { FOCUSABLE, ModalFrame } from '../ui/modal';
import { statusDetail, statusTitle, SYNC_TYPE_LABELS } from './status';

export interface ExportDialogProps {
  projectId: number;
  cohort: CohortRef;
  region: 'us' | 'eu' | 'in' | null;
  onClose(): void;
}

type Load =
  | { phase: 'loading' }
  | { phase: 'error'; message: string }
  | { phase: 'ready'; state: AppState; cohorts: CohortSummary[] | null; listError: string | null };

const REGION_NAMES = { us: 'US', eu: 'EU', in: 'India' } as const;
const count = (value: number) => value.toLocaleString('en-US');
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));


export function ExportDialog({ projectId, cohort, region, onClose }: ExportDialogProps) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [chosenId, setChosenId] = useState<number | null>(null);
  const [syncType, setSyncType] = useState<SyncType>('one-time');
  const [preview, setPreview] = useState<CohortPreview | 'loading' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const fetchAll = useCallback(async (refresh: boolean) => {
    try {
      const state = await sendToBackground({ type: 'state.get' });
      let cohorts: CohortSummary[] | null = null;
      let listError: string | null = null;
      const { clevertap, mixpanel } = state.connections;
      if (clevertap && mixpanel && mixpanel.projectId === projectId) {
        try {
          cohorts = (await sendToBackground({ type: 'cohorts.list', ...(refresh ? { refresh: true } : {}) })).cohorts;
        } catch (failure) {
          listError = message(failure);
        }
      }
      setLoad({ phase: 'ready', state, cohorts, listError });
    } catch (failure) {
      setLoad({ phase: 'error', message: message(failure) });
    }
  }, [projectId]);

  useEffect(() => {
    void fetchAll(false);
    return watchAppState((state) =>
      setLoad((current) => (current.phase === 'ready' ? { ...current, state } : current)),
    );
  }, [fetchAll]);

  // Focus the first control when the dialog opens; Escape closes; Tab stays inside.
  useEffect(() => {
    const first = dialogRef.current?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? dialogRef.current)?.focus();
  }, [load.phase]);


  const resolution: Resolution | null = useMemo(() => {
    if (load.phase !== 'ready' || !load.cohorts) return null;
    return resolveCohort(cohort, load.cohorts);
  }, [load, cohort]);

  const target: CohortSummary | null =
    resolution?.kind === 'found'
      ? resolution.cohort
      : resolution?.kind === 'ambiguous'
        ? (resolution.candidates.find((candidate) => candidate.id === chosenId) ?? null)
        : null;
  const targetId = target?.id ?? cohort.id;
  const sync: Sync | undefined =
    load.phase === 'ready' && targetId !== null
      ? load.state.syncs.find((candidate) => candidate.id === syncIdFor(projectId, targetId))
      : undefined;

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(message(failure));
    } finally {
      setBusy(false);
    }
  };

  const openOptions = () =>
    void run(async () => {
      await sendToBackground({ type: 'options.open', section: 'connections' });
    });

  const startSync = () =>
    void run(async () => {
      if (!target) return;
      const started = await sendToBackground({
        type: 'sync.start',
        cohortId: target.id,
        cohortName: target.name,
        syncType,
      });
      setNotice(`${SYNC_TYPE_LABELS[started.type]} started.`);
      dialogRef.current?.focus(); // the pressed button goes away: keep focus inside the dialog
      setLoad((current) =>
        current.phase === 'ready'
          ? {
              ...current,
              state: { ...current.state, syncs: [...current.state.syncs.filter((s) => s.id !== started.id), started] },
            }
          : current,
      );
    });

  const syncNow = (existing: Sync) =>
    void run(async () => {
      await sendToBackground({ type: 'sync.now', syncId: existing.id });
      setNotice('Export started.');
    });

  const stopSync = (existing: Sync) =>
    void run(async () => {
      await sendToBackground({ type: 'sync.stop', syncId: existing.id });
      setNotice('Sync stopped. This cohort is no longer exported to CleverTap.');
      dialogRef.current?.focus();
      setLoad((current) =>
        current.phase === 'ready'
          ? { ...current, state: { ...current.state, syncs: current.state.syncs.filter((s) => s.id !== existing.id) } }
          : current,
      );
    });

  const askPreview = () => {
    if (!target) return;
    setPreview('loading');
    setError(null);
    sendToBackground({ type: 'cohort.preview', cohortId: target.id }).then(setPreview, (failure: unknown) => {
      setPreview(null);
      setError(message(failure));
    });
  };

  const body = () => {
    if (load.phase === 'loading') return <p className="muted" role="status">Loading…</p>;
    if (load.phase === 'error') {
      return (
        <div className="alert" role="alert">
          {load.message}
        </div>
      );
    }
    const { clevertap, mixpanel } = load.state.connections;
    if (!clevertap || !mixpanel) {
      const missing = [!mixpanel && 'Mixpanel', !clevertap && 'CleverTap'].filter(Boolean).join(' and ');
      return (
        <div className="alert" role="alert">
          <p>
            {missing} {!clevertap && !mixpanel ? 'are' : 'is'} not connected. Connect {!clevertap && !mixpanel ? 'them' : 'it'} in
            Cohort Sync’s settings to export cohorts to CleverTap.
          </p>
          <button type="button" className="link" onClick={openOptions}>
            Open Cohort Sync settings
          </button>
        </div>
      );
    }
    if (mixpanel.projectId !== projectId) {
      return (
        <div className="alert" role="alert">
          <p>
            Cohort Sync is connected to Mixpanel project {mixpanel.projectName ? `“${mixpanel.projectName}” ` : ''}(ID{' '}
            {mixpanel.projectId}), not to this project (ID {projectId}).
          </p>
          <button type="button" className="link" onClick={openOptions}>
            Open Cohort Sync settings
          </button>
        </div>
      );
    }
    return (
      <>
        {region && region !== mixpanel.region && (
          <p className="note">
            This page is on Mixpanel’s {REGION_NAMES[region]} host, but the connection uses {REGION_NAMES[mixpanel.region]}.
          </p>
        )}
        {load.listError && (
          <div className="alert" role="alert">
            The cohort list could not be read: {load.listError}
          </div>
        )}
        {resolution?.kind === 'missing' && (
          <div className="alert" role="alert">
            <p>
              {cohort.id !== null ? `No cohort with ID ${cohort.id}` : <>No cohort named “<bdi>{cohort.name}</bdi>”</>} was
              found in this project.
            </p>
            <button type="button" className="link" onClick={() => void fetchAll(true)}>
              Check again
            </button>
          </div>
        )}
        {resolution?.kind === 'ambiguous' && (
          <fieldset>
            <legend>
              {resolution.candidates.length} cohorts are named “<bdi>{cohort.name}</bdi>”. Which one?
            </legend>
            {resolution.candidates.map((candidate) => (
              <label className="choice" key={candidate.id}>
                <input
                  type="radio"
                  name="cohort"
                  checked={chosenId === candidate.id}
                  onChange={() => {
                    setChosenId(candidate.id);
                    setPreview(null);
                  }}
                />
                <span>
                  ID {candidate.id} · {count(candidate.count)} users
                  {candidate.description && <small>{candidate.description}</small>}
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {target && !sync && (
          <>
            <p>
              <strong>{count(target.count)}</strong> users are in this cohort. Only users whose profile carries{' '}
              <code>$CleverTap_user_id</code> are exported.
            </p>
            <PreviewBlock preview={preview} onAsk={askPreview} />
            <fieldset>
              <legend>Sync type</legend>
              {(['one-time', 'dynamic'] as const).map((type) => (
                <label className="choice" key={type}>
                  <input type="radio" name="sync-type" checked={syncType === type} onChange={() => setSyncType(type)} />
                  <span>
                    {SYNC_TYPE_LABELS[type]}
                    <small>
                      {type === 'one-time'
                        ? 'Exports the users who are in the cohort now. The segment is not updated afterwards.'
                        : 'Exports the cohort now and every fifteen minutes, so the segment follows the cohort.'}
                    </small>
                  </span>
                </label>
              ))}
            </fieldset>
            <p className="muted">Each export overwrites the previous one: users who left the cohort leave the segment.</p>
          </>
        )}
        {sync && (
          <div className="status" role="status" aria-live="polite">
            <strong>
              {SYNC_TYPE_LABELS[sync.type]}: {statusTitle(sync)}
            </strong>
            <span>{statusDetail(sync)}</span>
          </div>
        )}
      </>
    );
  };

  const ready = load.phase === 'ready' && load.state.connections.clevertap && load.state.connections.mixpanel;
  return (
    <ModalFrame title="Export to CleverTap" dialogRef={dialogRef} onClose={onClose}>
      <p className="cohort">
        Cohort: <bdi>{target?.name ?? cohort.name}</bdi>
        {targetId !== null && <span className="muted"> (ID {targetId})</span>}
      </p>
      {body()}
      {notice && (
        <p className="note" role="status">
          {notice}
        </p>
      )}
      {error && (
        <div className="alert" role="alert">
          {error}
        </div>
      )}
      <div className="actions">
        {ready && sync && (
          <>
            <button type="button" className="secondary" disabled={busy} onClick={() => stopSync(sync)}>
              Stop sync
            </button>
            <button
              type="button"
              className="primary"
              disabled={busy || sync.status.state === 'running'}
              onClick={() => syncNow(sync)}
            >
              Sync now
            </button>
          </>
        )}
        {ready && !sync && (
          <button type="button" className="primary" disabled={busy || !target} onClick={startSync}>
            Start Sync
          </button>
        )}
        {!ready && (
          <button type="button" className="secondary" onClick={onClose}>
            Close
          </button>
        )}
      </div>
    </ModalFrame>
  );
}

function PreviewBlock({ preview, onAsk }: { preview: CohortPreview | 'loading' | null; onAsk(): void }) {
  if (preview === null) {
    return (
      <button type="button" className="secondary" onClick={onAsk}>
        Preview
      </button>
    );
  }
  if (preview === 'loading') return <p className="muted" role="status">Reading the cohort’s members…</p>;
  const skipped = preview.skipped.missingId + preview.skipped.invalidId + preview.skipped.duplicateId;
  return (
    <div className="note" role="status">
      <p>
        Of {count(preview.read)} members, <strong>{count(preview.exportable)}</strong> carry <code>$CleverTap_user_id</code>{' '}
        and will be exported. {count(skipped)} will be skipped{skipped > 0 ? ':' : '.'}
      </p>
      {skipped > 0 && (
        <ul>
          {preview.skipped.missingId > 0 && <li>{count(preview.skipped.missingId)} have no $CleverTap_user_id</li>}
          {preview.skipped.invalidId > 0 && <li>{count(preview.skipped.invalidId)} have an id CleverTap does not accept</li>}
          {preview.skipped.duplicateId > 0 && (
            <li>{count(preview.skipped.duplicateId)} share their id with another member (exported once)</li>
          )}
        </ul>
      )}
    </div>
  );
}
