import { useEffect, useState } from 'react';
import browser from 'webextension-polyfill';
import { ConnectionStatusLine } from '../../components/connections/ConnectionStatusLine';
import { EmptyState } from '../../components/syncs/EmptyState';
import { ExportCohortForm } from '../../components/syncs/ExportCohort';
import { latestPageReport } from '../../components/syncs/page-report';
import { SyncList } from '../../components/syncs/SyncList';
import { Button } from '../../components/ui/Button';
import { Notice } from '../../components/ui/Notice';
import { sendToBackground } from '../../lib/send';
import { useAppStore } from '../../lib/ui/app-store';
import { useNow } from '../../lib/ui/use-now';

type Section = 'connections' | 'settings' | 'syncs';

async function openOptions(section: Section) {
  try {
    await sendToBackground({ type: 'options.open', section });
  } catch {
    await browser.runtime.openOptionsPage();
  }
  window.close();
}

export function PopupApp() {
  const state = useAppStore((store) => store.state);
  const loadError = useAppStore((store) => store.loadError);
  const now = useNow(5_000);
  const [exporting, setExporting] = useState(false);
  const [missed, setMissed] = useState(false);
  useEffect(() => {
    // Did the last cohort "…" on a Mixpanel tab show a menu where our item found no place?
    latestPageReport()
      .then((report) => setMissed(Boolean(report?.missed)))
      .catch(() => setMissed(false));
  }, []);

  const connected = Boolean(state?.connections.clevertap && state.connections.mixpanel);

  return (
    <div className="cs-root cs-popup">
      <header className="cs-popup__header">
        <h1 className="cs-popup__title">
          <img src="/icon/32.png" alt="" width={16} height={16} />
          Cohort Sync
        </h1>
        <Button size="sm" variant="ghost" onClick={() => void openOptions('settings')}>
          Settings
        </Button>
      </header>
      {state ? (
        <ConnectionStatusLine connections={state.connections} onOpenConnections={() => void openOptions('connections')} />
      ) : null}
      {loadError ? (
        <Notice tone="warning" title="The extension’s background did not answer.">
          {loadError}
        </Notice>
      ) : null}
      {missed && !exporting ? (
        <Notice
          tone="warning"
          title="Cohort Sync could not add its item to that cohort menu."
          action={
            <Button size="sm" onClick={() => setExporting(true)} disabled={!connected}>
              Export a cohort…
            </Button>
          }
        >
          Mixpanel’s page may have changed. Export from here instead; Settings → Troubleshooting → Copy page report
          helps us fix it.
        </Notice>
      ) : null}
      <main className="cs-popup__main">
        {state === null ? (
          <p className="cs-muted cs-popup__loading" role="status">
            Loading…
          </p>
        ) : exporting ? (
          <ExportCohortForm syncs={state.syncs} onStarted={() => setExporting(false)} onCancel={() => setExporting(false)} />
        ) : (
          <>
            {state.syncs.length === 0 ? (
              <EmptyState connections={state.connections} onOpenConnections={() => void openOptions('connections')} />
            ) : (
              <SyncList syncs={state.syncs} now={now} variant="compact" onViewHistory={() => void openOptions('syncs')} />
            )}
            <div className="cs-popup__footer">
              <Button onClick={() => setExporting(true)} disabled={!connected} aria-describedby={connected ? undefined : 'export-hint'}>
                Export a cohort…
              </Button>
              {connected ? null : (
                <span id="export-hint" className="cs-muted">
                  Connect CleverTap and Mixpanel first.
                </span>
              )}
            </div>
          </>
        )}
      </main>
    </div>
  );
}
