/**
 * "CleverTap" in Mixpanel's Integrations / Destinations list, from this extension: Connect (the
 * Connect page, framed over Mixpanel's), the "Connected" tag, Disconnect and Manage syncs; expanded, this project's syncs
 * (the popup's rows) and Add Cohort Sync; and a note on the reverse direction. It reads the
 * background's state (no secret in it) and follows every change, so it agrees with the popup and
 * the options page at all times.
 */
import { useId, useRef, useState } from 'react';
import { DisconnectControl } from '../connections/ConnectionCard';
import { ExportCohortForm } from '../syncs/ExportCohort';
import { SyncList } from '../syncs/SyncList';
import { Button } from '../ui/Button';
import { Notice } from '../ui/Notice';
import { Tag } from '../ui/Tag';
import { useCommand } from '../ui/use-command';
import { sendToBackground } from '../../lib/send';
import { useAppStore } from '../../lib/ui/app-store';
import { syncTypeName } from '../../lib/ui/labels';
import { useNow } from '../../lib/ui/use-now';
import { REVERSE_DIRECTION_LINK, REVERSE_DIRECTION_TEXT, REVERSE_DIRECTION_TITLE } from './note';

export const MARK_TITLE =
  'Added by the Cohort Sync browser extension. Mixpanel’s own CleverTap integration, when listed, is a separate entry.';

export interface IntegrationEntryProps {
  projectId: number;
  /** Opens the framed Connect page; `done` puts focus back into the entry afterwards. */
  onConnect(done: () => void): void;
}

type Section = 'connections' | 'settings' | 'syncs';

export function IntegrationEntry({ projectId, onConnect }: IntegrationEntryProps) {
  const state = useAppStore((store) => store.state);
  const loadError = useAppStore((store) => store.loadError);
  const now = useNow(5_000);
  const panelId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);
  const [expanded, setExpanded] = useState(false);
  const [adding, setAdding] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run, clearError } = useCommand();
  const [notice, setNotice] = useState<string | null>(null);

  const clevertap = state?.connections.clevertap ?? null;
  const mixpanel = state?.connections.mixpanel ?? null;
  const syncs = state?.syncs.filter((sync) => sync.projectId === projectId) ?? [];

  const openOptions = (section: Section) => void run(() => sendToBackground({ type: 'options.open', section }));

  const disconnect = () =>
    void run(async () => {
      await sendToBackground({ type: 'clevertap.disconnect' });
      setConfirming(false);
      setAdding(false);
      setNotice(null);
    });

  const connect = () => {
    clearError();
    onConnect(() => toggleRef.current?.focus());
  };

  const blocker = (): { text: string; settings: boolean } | null => {
    if (!clevertap) return { text: 'Connect CleverTap to add cohort syncs.', settings: false };
    if (!mixpanel) {
      return {
        text: 'Mixpanel is not connected. Connect it in Cohort Sync’s settings (a service account of this project) to add cohort syncs.',
        settings: true,
      };
    }
    if (mixpanel.projectId !== projectId) {
      return {
        text:
          `Cohort Sync is connected to Mixpanel project ${mixpanel.projectName ? `“${mixpanel.projectName}” ` : ''}` +
          `(ID ${mixpanel.projectId}), not to this project (ID ${projectId}).`,
        settings: true,
      };
    }
    return null;
  };

  const panel = () => {
    if (!state) {
      return (
        <p className="cs-muted" role="status">
          {loadError ?? 'Loading…'}
        </p>
      );
    }
    const blocked = blocker();
    return (
      <>
        <h3 className="cs-int__title">Syncs</h3>
        {syncs.length === 0 ? (
          <p className="cs-muted">No cohort of this project is exported to CleverTap yet.</p>
        ) : (
          <SyncList
            syncs={syncs}
            now={now}
            variant="compact"
            label="Cohort syncs of this project"
            onViewHistory={() => openOptions('syncs')}
          />
        )}
        {notice ? <Notice tone="success">{notice}</Notice> : null}
        {adding && !blocked ? (
          <ExportCohortForm
            syncs={syncs}
            onStarted={(sync) => {
              setAdding(false);
              setNotice(`${syncTypeName(sync.type)} of “${sync.cohortName}” started.`);
            }}
            onCancel={() => setAdding(false)}
          />
        ) : (
          <div className="cs-actions">
            <Button
              variant="primary"
              size="sm"
              disabled={Boolean(blocked)}
              aria-describedby={blocked ? `${panelId}-blocked` : undefined}
              onClick={() => {
                setNotice(null);
                setAdding(true);
              }}
            >
              Add Cohort Sync
            </Button>
          </div>
        )}
        {blocked ? (
          <p className="cs-muted" id={`${panelId}-blocked`}>
            {blocked.text}{' '}
            {blocked.settings ? (
              <Button size="sm" variant="ghost" onClick={() => openOptions('connections')}>
                Open Cohort Sync settings
              </Button>
            ) : null}
          </p>
        ) : null}
        <aside className="cs-int__note" aria-label={REVERSE_DIRECTION_TITLE}>
          <p>
            <strong>{REVERSE_DIRECTION_TITLE}</strong>
          </p>
          <p>{REVERSE_DIRECTION_TEXT}</p>
          <p>
            <a href={REVERSE_DIRECTION_LINK} target="_blank" rel="noopener noreferrer">
              CleverTap’s guide to Mixpanel Export
            </a>
          </p>
        </aside>
      </>
    );
  };

  return (
    <div className="cs-root cs-int">
      <div className="cs-int__head">
        <button
          type="button"
          ref={toggleRef}
          className="cs-int__toggle"
          aria-expanded={expanded}
          aria-controls={panelId}
          onClick={() => setExpanded((value) => !value)}
        >
          <span className="cs-int__chevron" aria-hidden="true">
            {expanded ? '▾' : '▸'}
          </span>
          CleverTap
        </button>
        <span className="cs-int__mark" title={MARK_TITLE}>
          Cohort Sync extension
        </span>
        {clevertap ? (
          <Tag tone="success" icon="✓">
            Connected
          </Tag>
        ) : null}
        <div className="cs-int__actions">
          {state && !clevertap ? (
            <Button variant="primary" size="sm" onClick={connect}>
              Connect
            </Button>
          ) : null}
          {clevertap ? (
            <>
              <Button size="sm" onClick={() => openOptions('syncs')}>
                Manage syncs
              </Button>
              <DisconnectControl
                service="CleverTap"
                consequence="Syncs pause until you connect again; the Passcode is deleted from this browser."
                confirming={confirming}
                busy={busy}
                onAsk={() => setConfirming(true)}
                onCancel={() => setConfirming(false)}
                onConfirm={disconnect}
              />
            </>
          ) : null}
        </div>
      </div>
      <p className="cs-int__summary cs-muted">
        Export cohorts to CleverTap segments, once or every 15 minutes.
        {clevertap ? ` Project ${clevertap.accountId}.` : ''}
      </p>
      {error ? <Notice tone="danger">{error}</Notice> : null}
      <div id={panelId} className="cs-int__panel" hidden={!expanded}>
        {expanded ? panel() : null}
      </div>
    </div>
  );
}
