import browser, { type Runtime } from 'webextension-polyfill';
import { defineBackground } from 'wxt/utils/define-background';

export default defineBackground({
  type: 'module',
  main() {
    const startedAt = Date.now();
    // Listeners are registered synchronously, as MV3 requires for a worker woken by an event.
    browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
      if (sender.id !== browser.runtime.id) return undefined;
      if ((message as { type?: unknown } | null)?.type === 'ping') return Promise.resolve({ startedAt });
      return undefined;
    });
  },
});
