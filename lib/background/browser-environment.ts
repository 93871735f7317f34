/**
 * The engine's environment in the extension: WXT storage items (lib/background/storage-items.ts),
 * the browser's IndexedDB, alarms, toolbar badge, notifications and host permissions.
 */
import browser from 'webextension-polyfill';
import { missingHostAccess } from '../host-access';
import { DEFAULT_RETRY } from '../http/retry';
import { DYNAMIC_PERIOD_MINUTES, type Environment } from '../sync/environment';
import { browserStorage } from './storage-items';

declare global {
  interface ImportMetaEnv {
    /** Set only by `npm run demo -- --period-minutes N`, which builds its own copy of the extension. */
    readonly WXT_DEMO_PERIOD_MINUTES?: string;
  }
}

/**
 * Minutes between runs of a dynamic sync: 15, as Mixpanel's own integration. The demo build may
 * shorten it (a build-time value, so no setting or message can change it in a normal build).
 */
function dynamicPeriodMinutes(demoValue: unknown = import.meta.env?.WXT_DEMO_PERIOD_MINUTES): number {
  const minutes = Number(demoValue);
  return demoValue !== undefined && demoValue !== '' && Number.isFinite(minutes) && minutes > 0
    ? minutes
    : DYNAMIC_PERIOD_MINUTES;
}

/** An awaited fetch alone does not keep an MV3 worker alive; an extension API call does. */
const KEEP_ALIVE_EVERY_MS = 20_000;

export function browserEnvironment(): Environment {
  return {
    fetch: (input, init) => globalThis.fetch(input, init),
    retry: DEFAULT_RETRY,
    now: Date.now,
    notify: async (title, message) => {
      await browser.notifications.create({
        type: 'basic',
        iconUrl: browser.runtime.getURL('/icon/128.png'),
        title,
        message,
      });
    },
    periodMinutes: dynamicPeriodMinutes(),
    missingHostAccess,
    storage: browserStorage(globalThis.indexedDB),
    alarms: {
      create: (name, info) => browser.alarms.create(name, info),
      get: async (name) => (await browser.alarms.get(name)) ?? undefined,
      clear: async (name) => {
        await browser.alarms.clear(name);
      },
    },
    setBadge: async ({ text, color }) => {
      await browser.action.setBadgeText({ text });
      if (text && color) await browser.action.setBadgeBackgroundColor({ color });
    },
    // Alarms set at the same time fire within a few milliseconds of each other.
    queueGatherMs: 300,
    keepAlive: () => {
      const timer = setInterval(() => void browser.runtime.getPlatformInfo(), KEEP_ALIVE_EVERY_MS);
      return () => clearInterval(timer);
    },
  };
}
