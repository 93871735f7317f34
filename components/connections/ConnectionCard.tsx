import { useId, type ReactNode } from 'react';
import { Button } from '../ui/Button';
import { Tag } from '../ui/Tag';

/** The frame both connect forms share: a `<section>` headed by the service's name and its state. */
export function ConnectionCard({
  title,
  connected,
  headingLevel = 2,
  children,
}: {
  title: string;
  connected: boolean;
  headingLevel?: 2 | 3;
  children: ReactNode;
}) {
  const id = useId();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="cs-card cs-connection" aria-labelledby={`${id}-title`}>
      <div className="cs-card__header">
        <Heading id={`${id}-title`}>{title}</Heading>
        {connected ? (
          <Tag tone="success" icon="✓">
            Connected
          </Tag>
        ) : (
          <Tag tone="neutral">Not connected</Tag>
        )}
      </div>
      {children}
    </section>
  );
}

/** Two-step disconnect, so one stray click does not pause every sync. */
export function DisconnectControl({
  service,
  consequence,
  confirming,
  busy,
  onAsk,
  onCancel,
  onConfirm,
}: {
  service: string;
  consequence: string;
  confirming: boolean;
  busy: boolean;
  onAsk: () => void;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  if (!confirming) {
    return (
      <button type="button" className="cs-button cs-button--danger cs-button--md" onClick={onAsk}>
        Disconnect
      </button>
    );
  }
  return (
    <div className="cs-confirm" role="group" aria-label={`Disconnect ${service}?`}>
      <p className="cs-confirm__text">
        Disconnect {service}? {consequence}
      </p>
      <div className="cs-actions">
        <button
          type="button"
          className="cs-button cs-button--danger cs-button--md"
          onClick={onConfirm}
          disabled={busy}
          aria-busy={busy || undefined}
        >
          Disconnect {service}
        </button>
        <button type="button" className="cs-button cs-button--secondary cs-button--md" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** Under a saved connection: change its credentials, or disconnect it in two steps. */
export function ConnectedActions({
  service,
  secretName,
  busy,
  confirmingDisconnect,
  setConfirmingDisconnect,
  disconnect,
  onEdit,
}: {
  service: string;
  /** What Disconnect deletes, e.g. "the Passcode". */
  secretName: string;
  busy: boolean;
  confirmingDisconnect: boolean;
  setConfirmingDisconnect: (confirming: boolean) => void;
  disconnect: () => Promise<void>;
  onEdit: () => void;
}) {
  return (
    <div className="cs-actions">
      <Button onClick={onEdit}>Change credentials</Button>
      <DisconnectControl
        service={service}
        consequence={`Syncs pause until you connect again; ${secretName} is deleted from this browser.`}
        confirming={confirmingDisconnect}
        busy={busy}
        onAsk={() => setConfirmingDisconnect(true)}
        onCancel={() => setConfirmingDisconnect(false)}
        onConfirm={() => void disconnect()}
      />
    </div>
  );
}

/** The form's buttons: Connect, and Cancel while a saved connection is being changed. */
export function ConnectFormActions({ busy, editing, onCancel }: { busy: boolean; editing: boolean; onCancel: () => void }) {
  return (
    <div className="cs-actions cs-form__actions">
      <Button type="submit" variant="primary" busy={busy}>
        {busy ? 'Connecting…' : 'Connect'}
      </Button>
      {editing ? (
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      ) : null}
    </div>
  );
}
