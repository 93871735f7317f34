/**
 * What the sync service needs from the outside world, injectable so unit tests and benchmarks run
 * the real engine against the emulators with a Node fetch and no real waiting.
 */
import browser from 'webextension-polyfill';
import { missingHostAccess } from '../host-access';
import type { Fetch } from '../http/fetch-json';
import { DEFAULT_RETRY, type RetryPolicy } from '../http/retry';

export interface Environment {
  fetch: Fetch;
  retry: RetryPolicy;
  now: () => number;
  notify: (title: string, message: string) => Promise<void>;
  /** Minutes between runs of a dynamic sync. */
  periodMinutes: number;
  /** Host patterns the browser withholds (Firefox lets users withdraw them); none when absent. */
  missingHostAccess?: () => Promise<string[]>;
}

export const DYNAMIC_PERIOD_MINUTES = 15;

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
export function dynamicPeriodMinutes(demoValue: unknown = import.meta.env?.WXT_DEMO_PERIOD_MINUTES): number {
  const minutes = Number(demoValue);
  return demoValue !== undefined && demoValue !== '' && Number.isFinite(minutes) && minutes > 0
    ? minutes
    : DYNAMIC_PERIOD_MINUTES;
}

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
  };
}
