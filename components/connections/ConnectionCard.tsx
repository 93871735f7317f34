import { useId, type ReactNode } from 'react';
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
