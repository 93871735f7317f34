/**
 * "Connect CleverTap" over the Mixpanel page: the options page's CleverTap form (same fields,
 * validation and messages) in a modal dialog. The Passcode goes straight to the background and the
 * field is emptied as it is sent, so the page never holds it after submit.
 */
import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { CleverTapConnectForm } from '../connections/CleverTapConnectForm';
import { closesOnBackdrop, handleModalKeyDown } from '../ui/modal';


export function ConnectDialog({ onClose }: { onClose(connected: boolean): void }) {
  const titleId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const first = dialogRef.current?.querySelector<HTMLElement>('input,select');
    (first ?? dialogRef.current)?.focus();
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) =>
    handleModalKeyDown(event, dialogRef.current, () => onClose(false));
  const onBackdrop = closesOnBackdrop(() => onClose(false));

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
