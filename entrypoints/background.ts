import browser, { type Runtime } from 'webextension-polyfill';
import { defineBackground } from 'wxt/utils/define-background';
import { browserEnvironment } from '../lib/background/browser-environment';
import { createRouter } from '../lib/sync/router';
import { SyncService } from '../lib/sync/service';

export default defineBackground({
  type: 'module',
  main() {
    const env = browserEnvironment();
    const service = new SyncService(env);
    const route = createRouter(service, env, Date.now());

    // Listeners are registered synchronously, as MV3 requires for a worker woken by an event.
    browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => route(message, sender));
    browser.alarms.onAlarm.addListener((alarm) => void service.onAlarm(alarm.name));
    browser.runtime.onStartup.addListener(() => void service.resumeAll());

    // The in-page dialog shows a run's progress too; storage.session holds nothing but progress records.
    void allowProgressInContentScripts();

    // Every start of the worker: alarms re-created, interrupted runs resumed.
    void service.resumeAll();
  },
});

async function allowProgressInContentScripts(): Promise<void> {
  try {
    const session = browser.storage.session as typeof browser.storage.session & {
      setAccessLevel?: (options: { accessLevel: 'TRUSTED_AND_UNTRUSTED_CONTEXTS' }) => Promise<void>;
    };
    await session.setAccessLevel?.({ accessLevel: 'TRUSTED_AND_UNTRUSTED_CONTEXTS' });
  } catch {
    // A browser without it: the dialog shows "Running" without the count.
  }
}
