/**
 * CleverTap credentials: Project ID, Passcode and Region. Connect asks the background to check
 * them against CleverTap; the passcode is only ever held in this form until it is sent, and is
 * cleared after a successful connect (the background never sends it back).
 */
import { useState, type FormEvent } from 'react';
import { useConnectionForm } from './use-connection-form';
import type { CleverTapConnectResult } from '../../lib/messages';
import type { CleverTapConnectionView } from '../../lib/messages';
import { sendToBackground } from '../../lib/send';
import { formatAgo } from '../../lib/ui/format';
import {
  CLEVERTAP_REGION_OPTIONS,
  DEFAULT_CLEVERTAP_REGION,
  clevertapRegionLabel,
  type CleverTapRegionId,
} from '../../lib/ui/labels';
import { Button } from '../ui/Button';
import { SecretField, SelectField, TextField } from '../ui/Field';
import { Notice } from '../ui/Notice';
import { ConnectedActions, ConnectFormActions, ConnectionCard } from './ConnectionCard';

type Failure = Extract<CleverTapConnectResult, { connected: false }>;

const FAILURE_TITLE: Record<Failure['reason'], string> = {
  'bad-credentials': 'CleverTap did not accept this Project ID and Passcode.',
  'wrong-region': 'This project is not in the region you chose.',
  network: 'Could not reach CleverTap.',
};

export function CleverTapConnectForm({
  connection,
  headingLevel,
  onConnected,
  now = Date.now(),
  forgetPasscodeOnSubmit = false,
}: {
  connection: CleverTapConnectionView | null;
  headingLevel?: 2 | 3;
  onConnected?: (connection: CleverTapConnectionView) => void;
  now?: number;
  /**
   * Empties the Passcode field as soon as it is sent, whatever the answer (the Connect page framed
   * over Mixpanel keeps no secret once it is sent). Off by default.
   */
  forgetPasscodeOnSubmit?: boolean;
}) {
  const [accountId, setAccountId] = useState(connection?.accountId ?? '');
  const [passcode, setPasscode] = useState('');
  const [region, setRegion] = useState<CleverTapRegionId>(connection?.region ?? DEFAULT_CLEVERTAP_REGION);
  const [fieldErrors, setFieldErrors] = useState<{ accountId?: string; passcode?: string }>({});
  const form =
    useConnectionForm<CleverTapConnectionView, Failure>('clevertap', () => setPasscode(''));
  const { failure, error, busy, editing, setEditing, submit, clearMessages } = form;

  const showForm = !connection || editing;

  async function connect(event?: FormEvent) {
    event?.preventDefault();
    const errors: typeof fieldErrors = {};
    if (!accountId.trim()) errors.accountId = 'Enter the Project ID from CleverTap’s Settings → Project.';
    if (!passcode) errors.passcode = 'Enter the Passcode from CleverTap’s Settings → Project.';
    setFieldErrors(errors);
    clearMessages();
    if (errors.accountId || errors.passcode) return;
    if (forgetPasscodeOnSubmit) setPasscode('');
    await submit(() => sendToBackground({ type: 'clevertap.connect', accountId: accountId.trim(), passcode, region }), onConnected);
  }

  const answered = failure?.reason === 'wrong-region' ? failure.answeredRegion : undefined;

  return (
    <ConnectionCard title="CleverTap" connected={connection !== null} headingLevel={headingLevel ?? 2}>
      {connection && !editing ? (
        <div className="cs-connection__summary">
          <dl className="cs-summary">
            <div>
              <dt>Project ID</dt>
              <dd>{connection.accountId}</dd>
            </div>
            <div>
              <dt>Region</dt>
              <dd>{clevertapRegionLabel(connection.region)}</dd>
            </div>
            <div>
              <dt>Connected</dt>
              <dd>{formatAgo(connection.connectedAt, now)}</dd>
            </div>
          </dl>
          <ConnectedActions
            service="CleverTap"
            secretName="the Passcode"
            {...form}
            onEdit={() => {
              setEditing(true);
              setAccountId(connection.accountId);
              setRegion(connection.region);
            }}
          />
        </div>
      ) : null}
      {showForm ? (
        <form className="cs-form" onSubmit={(event) => void connect(event)} noValidate>
          <TextField
            label="Project ID"
            aside="“App ID” in Mixpanel’s help"
            hint="CleverTap dashboard → Settings → Project."
            value={accountId}
            onChange={setAccountId}
            error={fieldErrors.accountId}
            autoComplete="off"
            spellCheck={false}
            placeholder="W9R-486-4W5Z"
            name="clevertap-project-id"
          />
          <SecretField
            label="Passcode"
            aside="“API Key” in Mixpanel’s help"
            hint={connection ? 'Saved passcodes are never shown; enter it again to change the connection.' : undefined}
            value={passcode}
            onChange={setPasscode}
            error={fieldErrors.passcode}
            name="clevertap-passcode"
          />
          <SelectField
            label="Region"
            hint="The start of your CleverTap dashboard’s address: eu1, in1, sg1, us1, aps3 or mec1."
            value={region}
            options={CLEVERTAP_REGION_OPTIONS}
            onChange={setRegion}
          />
          {failure ? (
            <Notice
              tone="danger"
              title={FAILURE_TITLE[failure.reason]}
              action={
                answered && answered !== region ? (
                  <Button
                    size="sm"
                    onClick={() => {
                      setRegion(answered);
                      clearMessages();
                    }}
                  >
                    Use {clevertapRegionLabel(answered)}
                  </Button>
                ) : undefined
              }
            >
              {answered ? <p className="cs-notice__line">CleverTap answered from {clevertapRegionLabel(answered)}.</p> : null}
              <p className="cs-notice__line">{failure.message}</p>
            </Notice>
          ) : null}
          {error ? <Notice tone="danger" title="Could not connect CleverTap.">{error}</Notice> : null}
          <ConnectFormActions
            busy={busy}
            editing={editing}
            onCancel={() => {
              form.cancelEditing();
              setFieldErrors({});
            }}
          />
        </form>
      ) : null}
      {!showForm && error ? <Notice tone="danger">{error}</Notice> : null}
    </ConnectionCard>
  );
}
