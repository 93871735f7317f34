/**
 * "Connect CleverTap" over the Mixpanel page: the options page's CleverTap form (same fields,
 * validation and messages) in a modal dialog. It is rendered in an extension page framed into the
 * Mixpanel page (entrypoints/connect-frame), never in the page's own DOM: the page cannot read the
 * Passcode nor log its keys. The field is also emptied as it is sent.
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
        Cohort Sync checks these credentials with CleverTap and keeps them in the extension, never in Mixpanel’s page.
      </p>
      <CleverTapConnectForm connection={null} headingLevel={3} forgetPasscodeOnSubmit onConnected={() => onClose(true)} />
    </ModalFrame>
  );
}
