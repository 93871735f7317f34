/**
 * Shown when the browser withholds some of the extension's host access (Firefox lets users
 * withdraw it per site): which hosts, what stops working, and a button that asks for them. The
 * popup cannot hold a permission prompt open, so there the button opens the settings instead.
 */
import { useEffect, useState } from 'react';
import browser from 'webextension-polyfill';
import { hostOf, missingHostAccess, requestHostAccess } from '../../lib/host-access';
import { Button } from '../ui/Button';
import { Notice } from '../ui/Notice';

function useMissingHostAccess(): [string[], () => Promise<void>] {
  const [missing, setMissing] = useState<string[]>([]);
  const refresh = async () => setMissing(await missingHostAccess());
  useEffect(() => {
    const onChange = () => void refresh();
    void refresh();
    browser.permissions.onAdded.addListener(onChange);
    browser.permissions.onRemoved.addListener(onChange);
    return () => {
      browser.permissions.onAdded.removeListener(onChange);
      browser.permissions.onRemoved.removeListener(onChange);
    };
  }, []);
  return [missing, refresh];
}

export function HostAccessNotice({ onOpenSettings }: { onOpenSettings?: () => void }) {
  const [missing, refresh] = useMissingHostAccess();
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState(false);
  if (missing.length === 0) return null;

  const allow = async () => {
    setBusy(true);
    try {
      setRefused(!(await requestHostAccess(missing)));
      await refresh();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Notice
      tone="warning"
      title="Cohort Sync needs access to these sites"
      action={
        onOpenSettings ? (
          <Button size="sm" variant="primary" onClick={onOpenSettings}>
            Open settings
          </Button>
        ) : (
          <Button size="sm" variant="primary" busy={busy} onClick={() => void allow()}>
            Allow access
          </Button>
        )
      }
    >
      <p>
        The browser does not let Cohort Sync reach {missing.map(hostOf).join(', ')}. Without it the Export to &gt;
        CleverTap menu cannot appear on Mixpanel and syncs pause.
      </p>
      {refused ? <p>Access was not given. Press Allow access again and choose Allow in the browser’s prompt.</p> : null}
    </Notice>
  );
}
