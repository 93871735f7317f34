/**
 * Everything the engine needs from the outside world, injected: the browser's implementation is
 * lib/background/browser-environment.ts, the plain-Node one lib/sync/memory-environment.ts. The
 * engine itself touches no browser API, so the same code runs in the worker, in unit tests and
 * in benchmarks against the emulators.
 */
import type { Fetch } from '../http/fetch-json';
import type { RetryPolicy } from '../http/retry';
import type { EngineStorage } from '../storage/items';

export interface Alarm {
  name: string;
  scheduledTime: number;
  periodInMinutes?: number;
}

export interface AlarmInfo {
  when?: number;
  delayInMinutes?: number;
  periodInMinutes?: number;
}

/** The part of the extension alarms API the scheduler uses. */
export interface Alarms {
  create(name: string, info: AlarmInfo): Promise<void>;
  get(name: string): Promise<Alarm | undefined>;
  clear(name: string): Promise<void>;
}

export interface Badge {
  text: string;
  color?: string;
}

export interface Environment {
  fetch: Fetch;
  retry: RetryPolicy;
  now: () => number;
  notify: (title: string, message: string) => Promise<void>;
  /** Minutes between runs of a dynamic sync. */
  periodMinutes: number;
  /** Host patterns the browser withholds (Firefox lets users withdraw them); none when absent. */
  missingHostAccess?: () => Promise<string[]>;
  storage: EngineStorage;
  alarms: Alarms;
  /** The toolbar badge; a no-op where there is no toolbar. */
  setBadge: (badge: Badge) => Promise<void>;
  /** Keeps the worker alive while a run goes on; returns the function that lets it go. */
  keepAlive: () => () => void;
  /** How long an idle run queue gathers alarms that fire together before it picks (lib/sync/run-queue.ts). */
  queueGatherMs?: number;
}

export const DYNAMIC_PERIOD_MINUTES = 15;
