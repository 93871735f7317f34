/**
 * "Connect CleverTap" over the Mixpanel page: the options page's CleverTap form (same fields,
 * validation and messages) in a modal dialog. The Passcode goes straight to the background and the
 * field is emptied as it is sent, so the page never holds it after submit.
 */
import { useEffect, useId, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { CleverTapConnectForm } from '../connections/CleverTapConnectForm';

const FOCUSABLE = 'button:not([disabled]),input:not([disabled]),select:not([disabled]),textarea,[href],[tabindex]:not([tabindex="-1"])';

export function ConnectDialog({ onClose }: { onClose(connected: boolean): void }) {
  const titleId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const first = dialogRef.current?.querySelector<HTMLElement>('input,select');
    (first ?? dialogRef.current)?.focus();
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose(false);
      return;
    }
    if (event.key !== 'Tab' || !dialogRef.current) return;
    const focusable = Array.from(dialogRef.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    if (focusable.length === 0) return;
    const active = (dialogRef.current.getRootNode() as ShadowRoot | Document).activeElement;
    const first = focusable[0]!;
    const last = focusable[focusable.length - 1]!;
    if (event.shiftKey && (active === first || !dialogRef.current.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !dialogRef.current.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  };

  const onBackdrop = (event: MouseEvent<HTMLDivElement>) => {
    if (event.target === event.currentTarget) onClose(false);
  };

  return (
    <div className="backdrop" onMouseDown={onBackdrop}>
      <div
        className="dialog cs-root"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={dialogRef}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <div className="head">
          <h2 id={titleId}>Connect CleverTap</h2>
          <button type="button" className="close" aria-label="Close" onClick={() => onClose(false)}>
            ×
          </button>
        </div>
        <p className="intro cs-muted">
          Cohort Sync checks these credentials with CleverTap and keeps them in the extension, never in this page.
        </p>
        <CleverTapConnectForm connection={null} headingLevel={3} forgetPasscodeOnSubmit onConnected={() => onClose(true)} />
      </div>
    </div>
  );
}
