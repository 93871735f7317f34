/**
 * Mixpanel service account: username, secret, Project ID and data residency. Connect asks the
 * background to check that the account can list the project's cohorts and is an Admin or Owner
 * there; the background finds the workspace (data view) itself. The secret stays in this form only
 * until it is sent and is cleared after a successful connect.
 */
import { useState, type FormEvent } from 'react';
import { useConnectionForm } from './use-connection-form';
import type { MixpanelConnectResult } from '../../lib/messages';
import type { MixpanelConnectionView } from '../../lib/messages';
import { sendToBackground } from '../../lib/send';
import { formatAgo } from '../../lib/ui/format';
import { MIXPANEL_REGION_OPTIONS, mixpanelRegionLabel, type MixpanelRegionId } from '../../lib/ui/labels';
import { SecretField, SelectField, TextField } from '../ui/Field';
import { Notice } from '../ui/Notice';
import { ConnectedActions, ConnectFormActions, ConnectionCard } from './ConnectionCard';

type Failure = Extract<MixpanelConnectResult, { connected: false }>;

const FAILURE_TITLE: Record<Failure['reason'], string> = {
  'bad-credentials': 'Mixpanel did not accept this service account’s username and secret.',
  'no-project': 'This service account has no access to that project.',
  'not-admin': 'This service account is not an Admin or Owner of the project.',
  'cannot-list-cohorts': 'This service account cannot list the project’s cohorts.',
  network: 'Could not reach Mixpanel.',
};

const FAILURE_HELP: Partial<Record<Failure['reason'], string>> = {
  'not-admin':
    'The integration is for project admins: give the service account the Admin or Owner role in the project (Organization settings → Service accounts), then connect again.',
  'no-project': 'Check the Project ID and the data residency, or add the service account to the project.',
};

export function MixpanelConnectForm({
  connection,
  defaultRegion = 'us',
  headingLevel,
  onConnected,
  now = Date.now(),
}: {
  connection: MixpanelConnectionView | null;
  defaultRegion?: MixpanelRegionId;
  headingLevel?: 2 | 3;
  onConnected?: (connection: MixpanelConnectionView) => void;
  now?: number;
}) {
  const [username, setUsername] = useState(connection?.username ?? '');
  const [secret, setSecret] = useState('');
  const [projectId, setProjectId] = useState(connection ? String(connection.projectId) : '');
  const [region, setRegion] = useState<MixpanelRegionId>(connection?.region ?? defaultRegion);
  const [fieldErrors, setFieldErrors] = useState<{ username?: string; secret?: string; projectId?: string }>({});
  const form =
    useConnectionForm<MixpanelConnectionView, Failure>('mixpanel', () => setSecret(''));
  const { failure, error, busy, editing, setEditing, submit, clearMessages } = form;

  const showForm = !connection || editing;

  async function connect(event?: FormEvent) {
    event?.preventDefault();
    const errors: typeof fieldErrors = {};
    if (!username.trim()) errors.username = 'Enter the service account’s username.';
    if (!secret) errors.secret = 'Enter the service account’s secret.';
    const id = projectId.trim();
    if (!/^\d+$/.test(id) || Number(id) <= 0) errors.projectId = 'Enter the project’s number, as in mixpanel.com/project/<Project ID>.';
    setFieldErrors(errors);
    clearMessages();
    if (Object.keys(errors).length) return;
    await submit(() => sendToBackground({
        type: 'mixpanel.connect',
        username: username.trim(),
        secret,
        projectId: Number(id),
        region,
      }), onConnected);
  }

  return (
    <ConnectionCard title="Mixpanel" connected={connection !== null} headingLevel={headingLevel ?? 2}>
      {connection && !editing ? (
        <div className="cs-connection__summary">
          <dl className="cs-summary">
            <div>
              <dt>Service account</dt>
              <dd>{connection.username}</dd>
            </div>
            <div>
              <dt>Project</dt>
              <dd>
                {connection.projectName ? `${connection.projectName} (${connection.projectId})` : connection.projectId}
              </dd>
            </div>
            <div>
              <dt>Data residency</dt>
              <dd>{mixpanelRegionLabel(connection.region)}</dd>
            </div>
            {connection.workspaceId ? (
              <div>
                <dt>Data view</dt>
                <dd>{connection.workspaceId}</dd>
              </div>
            ) : null}
            <div>
              <dt>Connected</dt>
              <dd>{formatAgo(connection.connectedAt, now)}</dd>
            </div>
          </dl>
          {connection.adminConfirmed === false ? (
            <Notice tone="warning" title="The Admin role could not be confirmed.">
              Mixpanel did not say which role this service account has in project {connection.projectId}. Cohort
              Sync is for project admins: check in Organization settings → Service accounts that it has the Admin
              or Owner role there.
            </Notice>
          ) : null}
          <ConnectedActions
            service="Mixpanel"
            secretName="the secret"
            {...form}
            onEdit={() => {
              setEditing(true);
              setUsername(connection.username);
              setProjectId(String(connection.projectId));
              setRegion(connection.region);
            }}
          />
        </div>
      ) : null}
      {showForm ? (
        <form className="cs-form" onSubmit={(event) => void connect(event)} noValidate>
          <TextField
            label="Service account username"
            hint="Organization settings → Service accounts. The account needs the Admin or Owner role in the project."
            value={username}
            onChange={setUsername}
            error={fieldErrors.username}
            autoComplete="off"
            spellCheck={false}
            name="mixpanel-username"
          />
          <SecretField
            label="Service account secret"
            hint={connection ? 'Saved secrets are never shown; enter it again to change the connection.' : undefined}
            value={secret}
            onChange={setSecret}
            error={fieldErrors.secret}
            name="mixpanel-secret"
          />
          <TextField
            label="Project ID"
            hint="The number in your Mixpanel address: mixpanel.com/project/<Project ID>."
            value={projectId}
            onChange={setProjectId}
            error={fieldErrors.projectId}
            inputMode="numeric"
            autoComplete="off"
            name="mixpanel-project-id"
          />
          <SelectField
            label="Data residency"
            hint="US for mixpanel.com, EU for eu.mixpanel.com, India for in.mixpanel.com."
            value={region}
            options={MIXPANEL_REGION_OPTIONS}
            onChange={setRegion}
          />
          {failure ? (
            <Notice tone="danger" title={FAILURE_TITLE[failure.reason]}>
              <p className="cs-notice__line">{failure.message}</p>
              {FAILURE_HELP[failure.reason] ? <p className="cs-notice__line">{FAILURE_HELP[failure.reason]}</p> : null}
            </Notice>
          ) : null}
          {error ? <Notice tone="danger" title="Could not connect Mixpanel.">{error}</Notice> : null}
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
