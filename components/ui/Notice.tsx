import type { ReactNode } from 'react';
import type { Tone } from './Tag';

/**
 * A message block. Errors are announced (role="alert"); other tones are polite status updates.
 */
export function Notice({ tone = 'info', title, children, action }: { tone?: Tone; title?: ReactNode; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className={`cs-notice cs-notice--${tone}`} role={tone === 'danger' ? 'alert' : 'status'}>
      <div className="cs-notice__body">
        {title ? <strong className="cs-notice__title">{title}</strong> : null}
        {children ? <div className="cs-notice__text">{children}</div> : null}
      </div>
      {action ? <div className="cs-notice__action">{action}</div> : null}
    </div>
  );
}
