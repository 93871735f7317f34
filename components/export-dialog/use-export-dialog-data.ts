/**
 * Everything the export dialog knows and can do, apart from how it looks: the background's state
 * (through the state client, the one channel for it), this project's cohort list, which cohort the
 * page meant, and the commands. A command's effect on a sync shows when the state client's next
 * view arrives, never by patching a local copy.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { resolveCohort, type CohortRef, type Resolution } from '../../lib/cohorts';
import { syncIdFor, type CohortPreview, type CohortSummary, type StateView, type SyncView } from '../../lib/messages';
import type { SyncType } from '../../lib/shapes';
import { sendToBackground } from '../../lib/send';
import { stateClient, type StateClient, type StateSnapshot } from '../../lib/state-client';
import { errorMessage as message } from '../../lib/ui/app-store';
import { useCommand } from '../ui/use-command';
import { SYNC_TYPE_LABELS } from './status';

type CohortList =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'done'; cohorts: CohortSummary[] | null; error: string | null };

export type DialogLoad =
  | { phase: 'loading' }
  | { phase: 'error'; message: string }
  | { phase: 'ready'; view: StateView; cohorts: CohortSummary[] | null; listError: string | null };

export interface ExportDialogData {
  load: DialogLoad;
  resolution: Resolution | null;
  /** The cohort the dialog acts on: the resolved one, or the one the user picked among namesakes. */
  target: CohortSummary | null;
  targetId: number | null;
  /** The cohort's existing sync, if it has one. */
  sync: SyncView | undefined;
  chosenId: number | null;
  choose(cohortId: number): void;
  preview: CohortPreview | 'loading' | null;
  askPreview(): void;
  busy: boolean;
  error: string | null;
  notice: string | null;
  startSync(syncType: SyncType): Promise<boolean>;
  syncNow(sync: SyncView): void;
  stopSync(sync: SyncView): Promise<boolean>;
  openOptions(): void;
  checkAgain(): void;
}

function useStateSnapshot(client: StateClient): StateSnapshot {
  const [snapshot, setSnapshot] = useState<StateSnapshot>(() => ({ view: client.latest(), error: null }));
  useEffect(() => client.subscribe(setSnapshot), [client]);
  return snapshot;
}

export function useExportDialogData(
  projectId: number,
  cohort: CohortRef,
  client: StateClient = stateClient,
): ExportDialogData {
  const { view, error: stateError } = useStateSnapshot(client);
  const [list, setList] = useState<CohortList>({ status: 'idle' });
  const [reload, setReload] = useState(0);
  const [chosenId, setChosenId] = useState<number | null>(null);
  const [preview, setPreview] = useState<CohortPreview | 'loading' | null>(null);
  const command = useCommand();
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const mixpanel = view?.connections.mixpanel;
  const canList = Boolean(view?.connections.clevertap && mixpanel && mixpanel.projectId === projectId);

  useEffect(() => {
    if (!canList) return;
    let cancelled = false;
    setList({ status: 'loading' });
    sendToBackground({ type: 'cohorts.list', ...(reload > 0 ? { refresh: true } : {}) }).then(
      ({ cohorts }) => !cancelled && setList({ status: 'done', cohorts, error: null }),
      (failure: unknown) => !cancelled && setList({ status: 'done', cohorts: null, error: message(failure) }),
    );
    return () => {
      cancelled = true;
    };
  }, [canList, reload]);

  const load: DialogLoad = useMemo(() => {
    if (!view) return stateError ? { phase: 'error', message: stateError } : { phase: 'loading' };
    if (!canList) return { phase: 'ready', view, cohorts: null, listError: null };
    if (list.status !== 'done') return { phase: 'loading' };
    return { phase: 'ready', view, cohorts: list.cohorts, listError: list.error };
  }, [view, stateError, canList, list]);

  const cohorts = load.phase === 'ready' ? load.cohorts : null;
  const resolution = useMemo(() => (cohorts ? resolveCohort(cohort, cohorts) : null), [cohort, cohorts]);
  const target =
    resolution?.kind === 'found'
      ? resolution.cohort
      : resolution?.kind === 'ambiguous'
        ? (resolution.candidates.find((candidate) => candidate.id === chosenId) ?? null)
        : null;
  const targetId = target?.id ?? cohort.id;
  const sync =
    view && targetId !== null ? view.syncs.find((candidate) => candidate.id === syncIdFor(projectId, targetId)) : undefined;

  /** Runs a command; answers whether it went through. */
  const runCommand = command.run;
  const run = useCallback(
    async (action: () => Promise<void>): Promise<boolean> => {
      setPreviewError(null);
      const done = await runCommand(async () => {
        await action();
        return true;
      });
      return done === true;
    },
    [runCommand],
  );

  return {
    load,
    resolution,
    target,
    targetId,
    sync,
    chosenId,
    choose(cohortId) {
      setChosenId(cohortId);
      setPreview(null);
    },
    preview,
    askPreview() {
      if (!target) return;
      setPreview('loading');
      setPreviewError(null);
      command.clearError();
      sendToBackground({ type: 'cohort.preview', cohortId: target.id }).then(setPreview, (failure: unknown) => {
        setPreview(null);
        setPreviewError(message(failure));
      });
    },
    busy: command.busy,
    error: previewError ?? command.error,
    notice,
    startSync: (syncType) =>
      run(async () => {
        if (!target) return;
        const started = await sendToBackground({ type: 'sync.start', cohortId: target.id, cohortName: target.name, syncType });
        setNotice(`${SYNC_TYPE_LABELS[started.type]} started.`);
      }),
    syncNow: (existing) =>
      void run(async () => {
        await sendToBackground({ type: 'sync.now', syncId: existing.id });
        setNotice('Export started.');
      }),
    stopSync: (existing) =>
      run(async () => {
        await sendToBackground({ type: 'sync.stop', syncId: existing.id });
        setNotice('Sync stopped. This cohort is no longer exported to CleverTap.');
      }),
    openOptions: () =>
      void run(async () => {
        await sendToBackground({ type: 'options.open', section: 'connections' });
      }),
    checkAgain: () => setReload((count) => count + 1),
  };
}
