/**
 * "Connect CleverTap" over the Mixpanel page: the options page's CleverTap form (same fields,
 * validation and messages) in a modal dialog. The Passcode goes straight to the background and the
 * field is emptied as it is sent, so the page never holds it after submit.
 */
import { useEffect, useRef } from 'react';
import { CleverTapConnectForm } from '../connections/CleverTapConnectForm';
import { ModalFrame } from '../ui/modal';


export function ConnectDialog({ onClose }: { onClose(connected: boolean): void }) {
  const dialogRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const first = dialogRef.current?.querySelector<HTMLElement>('input,select');
    (first ?? dialogRef.current)?.focus();
  }, []);


  return (
    <ModalFrame title="Connect CleverTap" className="dialog cs-root" dialogRef={dialogRef} onClose={() => onClose(false)}>
      <p className="intro cs-muted">
        Cohort Sync checks these credentials with CleverTap and keeps them in the extension, never in this page.
      </p>
      <CleverTapConnectForm connection={null} headingLevel={3} forgetPasscodeOnSubmit onConnected={() => onClose(true)} />
    </ModalFrame>
  );
}
