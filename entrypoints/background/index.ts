import browser, { type Runtime } from 'webextension-polyfill';
import { defineBackground } from 'wxt/utils/define-background';
import { browserEnvironment } from '../../lib/background/browser-environment';
import { SyncService } from '../../lib/sync/service';
import { createRouter } from './router';
import { senderKind } from './senders';
import { createStateBroadcaster } from './state-port';
import { changesView, readStateView } from './state-view';

export default defineBackground({
  type: 'module',
  main() {
    const env = browserEnvironment();
    const service = new SyncService(env);
    const route = createRouter(service, env, Date.now());
    // Every start of the worker: alarms re-created, interrupted runs resumed. Views wait for it, so a
    // page opened at start never shows the progress of a run the last worker left behind.
    const started = service.resumeAll().catch((error: unknown) => {
      console.warn('Could not resume the interrupted runs', error instanceof Error ? error.message : 'unknown error');
    });
    const state = createStateBroadcaster(() => started.then(() => readStateView(env.storage)), senderKind);

    // Listeners are registered synchronously, as MV3 requires for a worker woken by an event.
    browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => route(message, sender));
    browser.runtime.onConnect.addListener((port) => state.connect(port));
    browser.storage.onChanged.addListener((changes, area) => {
      if (changesView(changes, area)) state.changed();
    });
    browser.alarms.onAlarm.addListener((alarm) => void service.onAlarm(alarm.name));
    browser.runtime.onStartup.addListener(() => void service.resumeAll());
  },
});
