import { useEffect, useRef, useState } from 'react';
import { CleverTapConnectForm } from '../../components/connections/CleverTapConnectForm';
import { HostAccessNotice } from '../../components/connections/HostAccessNotice';
import { MixpanelConnectForm } from '../../components/connections/MixpanelConnectForm';
import { CopyPageReport } from '../../components/syncs/CopyPageReport';
import { HistoryTable } from '../../components/syncs/HistoryTable';
import { SyncList } from '../../components/syncs/SyncList';
import { Notice } from '../../components/ui/Notice';
import { SelectField } from '../../components/ui/Field';
import type { SyncView as Sync } from '../../lib/storage/progress';
import { useAppStore } from '../../lib/ui/app-store';
import { mixpanelRegionFromQuery } from '../../lib/ui/labels';
import { useNow } from '../../lib/ui/use-now';
import { SettingsForm } from './SettingsSection';

const SECTIONS = [
  { id: 'connections', label: 'Connections' },
  { id: 'settings', label: 'Sync settings' },
  { id: 'syncs', label: 'Syncs' },
  { id: 'history', label: 'History' },
  { id: 'troubleshooting', label: 'Troubleshooting' },
] as const;

/** `#syncs` or `?section=syncs`: the section the page was opened for. */
function requestedSection(): string | undefined {
  const fromHash = location.hash.replace(/^#/, '');
  const fromQuery = new URLSearchParams(location.search).get('section') ?? '';
  const wanted = fromHash || fromQuery;
  return SECTIONS.some((section) => section.id === wanted) ? wanted : undefined;
}

export function OptionsApp() {
  const state = useAppStore((store) => store.state);
  const loadError = useAppStore((store) => store.loadError);
  const now = useNow(5_000);
  const [historySyncId, setHistorySyncId] = useState<string | null>(null);
  const [defaultRegion] = useState(() => mixpanelRegionFromQuery(location.search));
  const scrolled = useRef(false);

  useEffect(() => {
    if (!state || scrolled.current) return;
    scrolled.current = true;
    const section = requestedSection();
    if (section) document.getElementById(section)?.scrollIntoView();
  }, [state]);

  const syncs = state?.syncs ?? [];
  const historySync: Sync | undefined =
    syncs.find((sync) => sync.id === historySyncId) ?? [...syncs].sort((a, b) => b.createdAt - a.createdAt)[0];

  function viewHistory(sync: Sync) {
    setHistorySyncId(sync.id);
    document.getElementById('history')?.scrollIntoView({ behavior: 'smooth' });
  }

  return (
    <div className="cs-root cs-options">
      <header className="cs-options__header">
        <div className="cs-options__brand">
          <img src="/icon/48.png" alt="" width={28} height={28} />
          <div>
            <h1>Cohort Sync</h1>
            <p className="cs-muted">Export Mixpanel cohorts to CleverTap segments, once or every 15 minutes.</p>
          </div>
        </div>
        <nav aria-label="Sections">
          <ul>
            {SECTIONS.map((section) => (
              <li key={section.id}>
                <a href={`#${section.id}`}>{section.label}</a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main className="cs-options__main">
        <HostAccessNotice />
        {loadError ? (
          <Notice tone="warning" title="The extension’s background did not answer.">
            {loadError}
          </Notice>
        ) : null}
        {state === null ? (
          <p className="cs-muted" role="status">
            Loading…
          </p>
        ) : (
          <>
            <section id="connections" aria-labelledby="connections-title" className="cs-options__section">
              <h2 id="connections-title">Connections</h2>
              <div className="cs-options__connections">
                <CleverTapConnectForm connection={state.connections.clevertap} headingLevel={3} now={now} />
                <MixpanelConnectForm
                  connection={state.connections.mixpanel}
                  defaultRegion={defaultRegion}
                  headingLevel={3}
                  now={now}
                />
              </div>
              <p className="cs-muted cs-options__privacy">
                Passcode and secret are kept by the extension’s background only: never shown again, never sent to
                Mixpanel’s pages, never logged. Disconnect deletes them.
              </p>
            </section>

            <section id="settings" aria-labelledby="settings-title" className="cs-options__section">
              <h2 id="settings-title">Sync settings</h2>
              <SettingsForm settings={state.settings} />
            </section>

            <section id="syncs" aria-labelledby="syncs-title" className="cs-options__section">
              <h2 id="syncs-title">Syncs</h2>
              {syncs.length === 0 ? (
                <div className="cs-card">
                  <p className="cs-muted cs-options__none">
                    No syncs yet. In Mixpanel, open a cohort’s “…” menu (Lexicon → Cohorts) and choose Export to &gt; CleverTap (Cohort Sync), or use
                    “Export a cohort…” in the toolbar popup.
                  </p>
                </div>
              ) : (
                <div className="cs-card cs-card--flush">
                  <SyncList syncs={syncs} now={now} variant="full" onViewHistory={viewHistory} label="All syncs" />
                </div>
              )}
            </section>

            <section id="history" aria-labelledby="history-title" className="cs-options__section">
              <h2 id="history-title">History</h2>
              {historySync ? (
                <div className="cs-card">
                  <div className="cs-options__history-pick">
                    <SelectField
                      label="Sync"
                      value={historySync.id}
                      options={syncs.map((sync) => ({ id: sync.id, label: sync.cohortName }))}
                      onChange={setHistorySyncId}
                    />
                  </div>
                  <HistoryTable sync={historySync} />
                </div>
              ) : (
                <div className="cs-card">
                  <p className="cs-muted cs-options__none">Each run of a sync shows here, with its counts and a CSV of its adds and removes.</p>
                </div>
              )}
            </section>

            <section id="troubleshooting" aria-labelledby="troubleshooting-title" className="cs-options__section">
              <h2 id="troubleshooting-title">Troubleshooting</h2>
              <CopyPageReport />
            </section>
          </>
        )}
      </main>
    </div>
  );
}
