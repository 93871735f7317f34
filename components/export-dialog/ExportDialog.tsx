/**
 * "Export to CleverTap": the dialog behind the cohort menu's new item. It shows what will happen
 * before it happens (cohort size, and on request how many members carry `$CleverTap_user_id`),
 * starts a One-time or Dynamic sync, or shows and steers the cohort's existing sync. What it knows
 * and does is in useExportDialogData; this file lays it out. Everything from the page or the APIs
 * renders as text (React escaping, never HTML).
 */
import { useEffect, useRef, useState } from 'react';
import type { CohortRef } from '../../lib/cohorts';
import type { SyncType } from '../../lib/shapes';
import type { MixpanelRegion } from '../../lib/regions';
import { Button } from '../ui/Button';
import { FOCUSABLE, ModalFrame } from '../ui/modal';
import { Notice } from '../ui/Notice';
import { CohortChoice, connectionProblem, MissingCohort, NeedsSettings, NewSync, RegionNote, SyncStatusBlock } from './parts';
import { useExportDialogData, type ExportDialogData } from './use-export-dialog-data';

export interface ExportDialogProps {
  projectId: number;
  cohort: CohortRef;
  region: MixpanelRegion | null;
  onClose(): void;
}

export function ExportDialog({ projectId, cohort, region, onClose }: ExportDialogProps) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const data = useExportDialogData(projectId, cohort);
  const [syncType, setSyncType] = useState<SyncType>('one-time');
  const { load, target, targetId, sync, busy } = data;

  // Focus the first control once the dialog has something to show (Escape and Tab: ModalFrame).
  useEffect(() => {
    const first = dialogRef.current?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? dialogRef.current)?.focus();
  }, [load.phase]);

  // The pressed button goes away once the next view shows the change: keep focus inside the dialog.
  const keepFocus = (done: boolean) => {
    if (done) dialogRef.current?.focus();
  };

  const ready = load.phase === 'ready' && connectionProblem(load.view.connections, projectId) === null;
  return (
    <ModalFrame title="Export to CleverTap" className="dialog cs-root" dialogRef={dialogRef} onClose={onClose}>
      <p className="cohort">
        Cohort: <bdi>{target?.name ?? cohort.name}</bdi>
        {targetId !== null && <span className="cs-muted"> (ID {targetId})</span>}
      </p>
      <DialogBody data={data} projectId={projectId} cohort={cohort} region={region} syncType={syncType} onSyncType={setSyncType} />
      {data.notice && <Notice tone="success">{data.notice}</Notice>}
      {data.error && <Notice tone="danger">{data.error}</Notice>}
      <div className="actions">
        {ready && sync && (
          <>
            <Button disabled={busy} onClick={() => void data.stopSync(sync).then(keepFocus)}>
              Stop sync
            </Button>
            <Button variant="primary" disabled={busy || sync.status.state === 'running'} onClick={() => data.syncNow(sync)}>
              Sync now
            </Button>
          </>
        )}
        {ready && !sync && (
          <Button variant="primary" disabled={busy || !target} onClick={() => void data.startSync(syncType).then(keepFocus)}>
            Start Sync
          </Button>
        )}
        {!ready && <Button onClick={onClose}>Close</Button>}
      </div>
    </ModalFrame>
  );
}

function DialogBody({
  data,
  projectId,
  cohort,
  region,
  syncType,
  onSyncType,
}: {
  data: ExportDialogData;
  projectId: number;
  cohort: CohortRef;
  region: MixpanelRegion | null;
  syncType: SyncType;
  onSyncType(type: SyncType): void;
}) {
  const { load, resolution, target, sync } = data;
  if (load.phase === 'loading') {
    return (
      <p className="cs-muted" role="status">
        Loading…
      </p>
    );
  }
  if (load.phase === 'error') return <Notice tone="danger">{load.message}</Notice>;
  const problem = connectionProblem(load.view.connections, projectId);
  if (problem) return <NeedsSettings onOpenOptions={data.openOptions}>{problem}</NeedsSettings>;
  return (
    <>
      <RegionNote page={region} connected={load.view.connections.mixpanel!.region} />
      {load.listError && <Notice tone="danger">The cohort list could not be read: {load.listError}</Notice>}
      {resolution?.kind === 'missing' && <MissingCohort cohort={cohort} onCheckAgain={data.checkAgain} />}
      {resolution?.kind === 'ambiguous' && (
        <CohortChoice name={cohort.name} resolution={resolution} chosenId={data.chosenId} onChoose={data.choose} />
      )}
      {target && !sync && (
        <NewSync count={target.count} preview={data.preview} onPreview={data.askPreview} syncType={syncType} onSyncType={onSyncType} />
      )}
      {sync && <SyncStatusBlock sync={sync} />}
    </>
  );
}
