/**
 * The engine's environment without a browser: storage and alarms in memory, the IndexedDB the
 * caller brings (fake-indexeddb under Node), no toolbar, no keep-alive needed. Unit tests, the
 * plain-Node engine test and benchmarks run the real engine on it.
 */
import { DEFAULT_RETRY } from '../http/retry';
import { memoryStorage } from '../storage/items';
import { DYNAMIC_PERIOD_MINUTES, type Alarm, type AlarmInfo, type Alarms, type Badge, type Environment } from './environment';

export class MemoryAlarms implements Alarms {
  private readonly alarms = new Map<string, Alarm>();

  constructor(private readonly now: () => number) {}

  async create(name: string, info: AlarmInfo): Promise<void> {
    const scheduledTime = info.when ?? this.now() + (info.delayInMinutes ?? info.periodInMinutes ?? 0) * 60_000;
    this.alarms.set(name, { name, scheduledTime, ...(info.periodInMinutes === undefined ? {} : { periodInMinutes: info.periodInMinutes }) });
  }

  async get(name: string): Promise<Alarm | undefined> {
    const alarm = this.alarms.get(name);
    return alarm && { ...alarm };
  }

  async clear(name: string): Promise<void> {
    this.alarms.delete(name);
  }

  all(): Alarm[] {
    return [...this.alarms.values()].map((alarm) => ({ ...alarm }));
  }
}

export interface MemoryEnvironment extends Environment {
  alarms: MemoryAlarms;
  badges: Badge[];
  notifications: { title: string; message: string }[];
}

export function memoryEnvironment(
  options: Pick<Environment, 'fetch'> & { indexedDB: IDBFactory } & Partial<Omit<Environment, 'alarms'>>,
): MemoryEnvironment {
  const now = options.now ?? Date.now;
  const badges: Badge[] = [];
  const notifications: { title: string; message: string }[] = [];
  const env: MemoryEnvironment = {
    retry: DEFAULT_RETRY,
    periodMinutes: DYNAMIC_PERIOD_MINUTES,
    notify: async (title, message) => {
      notifications.push({ title, message });
    },
    setBadge: async (badge) => {
      badges.push(badge);
    },
    // A Node process stays alive while work is pending; nothing to do.
    keepAlive: () => () => undefined,
    ...options,
    now,
    storage: options.storage ?? memoryStorage(options.indexedDB),
    // Read through `env`, so a test that moves the clock moves the alarms too.
    alarms: new MemoryAlarms(() => env.now()),
    badges,
    notifications,
  };
  return env;
}
