import type { ConnectionsView } from '../../lib/messages';

/** The three steps a new user takes, with the finished ones marked done (in text, too). */
export function EmptyState({ connections, onOpenConnections }: { connections: ConnectionsView; onOpenConnections: () => void }) {
  const steps = [
    { done: connections.clevertap !== null, text: 'Connect CleverTap', action: true },
    { done: connections.mixpanel !== null, text: 'Connect Mixpanel', action: true },
    {
      done: false,
      text: 'Open a cohort’s “…” menu in Mixpanel’s Cohorts report and choose Export to > CleverTap',
      action: false,
    },
  ];
  return (
    <div className="cs-empty">
      <h2 className="cs-empty__title">No syncs yet</h2>
      <p className="cs-muted">Export a Mixpanel cohort to a CleverTap segment in three steps:</p>
      <ol className="cs-steps">
        {steps.map((step, index) => (
          <li key={step.text} className={step.done ? 'cs-steps__item cs-steps__item--done' : 'cs-steps__item'}>
            <span className="cs-steps__marker" aria-hidden="true">
              {step.done ? '✓' : index + 1}
            </span>
            <span>
              {step.action && !step.done ? (
                <a
                  href="options.html#connections"
                  onClick={(event) => {
                    event.preventDefault();
                    onOpenConnections();
                  }}
                >
                  {step.text}
                </a>
              ) : (
                step.text
              )}
              {step.done ? <span className="cs-muted"> (done)</span> : null}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
