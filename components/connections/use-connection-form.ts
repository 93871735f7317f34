/**
 * What the CleverTap and Mixpanel forms share: the busy flag, the failure and error shown under the
 * form, editing a saved connection, and the two-step disconnect. The secret field is cleared after a
 * successful connect and after a disconnect.
 */
import { useState } from 'react';
import { sendToBackground } from '../../lib/send';
import { useCommand } from '../ui/use-command';

type Result<C, F> = { connected: true; connection: C } | F;

export function useConnectionForm<C, F extends { connected: false }>(
  service: 'clevertap' | 'mixpanel',
  clearSecret: () => void,
) {
  const [failure, setFailure] = useState<F | null>(null);
  const { busy, error, run, clearError } = useCommand();
  const [editing, setEditing] = useState(false);
  const [confirmingDisconnect, setConfirmingDisconnect] = useState(false);

  /** Sends the credentials; shows the failure, or clears the secret and leaves editing. */
  const submit = (send: () => Promise<Result<C, F>>, onConnected?: (connection: C) => void) => {
    setFailure(null);
    return run(async () => {
      const result = await send();
      if (!result.connected) {
        setFailure(result as F);
        return;
      }
      clearSecret();
      setEditing(false);
      onConnected?.((result as { connection: C }).connection);
    });
  };

  const disconnect = () =>
    run(async () => {
      await sendToBackground({ type: service === 'clevertap' ? 'clevertap.disconnect' : 'mixpanel.disconnect' });
      setConfirmingDisconnect(false);
      clearSecret();
    });

  const clearMessages = () => {
    setFailure(null);
    clearError();
  };

  /** Leaves a change of credentials: the saved connection stays as it was. */
  const cancelEditing = () => {
    setEditing(false);
    clearSecret();
    clearMessages();
  };

  return {
    failure,
    error,
    busy,
    editing,
    setEditing,
    confirmingDisconnect,
    setConfirmingDisconnect,
    submit,
    disconnect,
    clearMessages,
    cancelEditing,
  };
}
