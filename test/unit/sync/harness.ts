/**
 * The real sync service in Node: fake browser APIs (storage, alarms), fake-indexeddb, and the
 * real API clients talking HTTP to both emulators through the hub.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { resetDbHandle } from '../../../lib/storage/db';
import { readAppState, updateAppState } from '../../../lib/storage/app-state';
import type { Settings, Sync } from '../../../lib/storage/schema';
import { connectCleverTap, connectMixpanel } from '../../../lib/sync/connections';
import type { Environment } from '../../../lib/sync/environment';
import { SyncService } from '../../../lib/sync/service';
import type { RetryPolicy } from '../../../lib/http/retry';
import { createEmulators, EMULATOR_CREDENTIALS, type EmulatorSetOptions } from '../../emulators';
import { startHub } from '../../emulators/hub';

export const PROJECT_ID = EMULATOR_CREDENTIALS.mixpanel.projectId;

export interface EngineOptions extends EmulatorSetOptions {
  /** Every request gives up after this long (the clients' own timeouts are minutes). */
  fetchTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export async function startEngine(options: EngineOptions = {}) {
  fakeBrowser.reset();
  // The service's keep-alive ping, for runs longer than 20 s.
  fakeBrowser.runtime.getPlatformInfo = async () => ({ os: 'linux', arch: 'x86-64' }) as never;
  globalThis.indexedDB = new IDBFactory();
  resetDbHandle();
  const emulators = createEmulators(options);
  const hub = await startHub(emulators.list);
  const notifications: { title: string; message: string }[] = [];
  const env: Environment = {
    fetch: options.fetchTimeoutMs ? withTimeout(hub.fetch, options.fetchTimeoutMs) : hub.fetch,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2, sleep: async () => {}, ...options.retry },
    now: Date.now,
    notify: async (title, message) => {
      notifications.push({ title, message });
    },
    periodMinutes: 15,
  };
  const service = new SyncService(env);

  const connect = async () => {
    const clevertap = await connectCleverTap(EMULATOR_CREDENTIALS.clevertap, env);
    const mixpanel = await connectMixpanel(EMULATOR_CREDENTIALS.mixpanel, env);
    if (!clevertap.connected || !mixpanel.connected) throw new Error('emulator connection failed');
  };
  const settings = (change: Partial<Settings>) =>
    updateAppState((state) => ({ ...state, settings: { ...state.settings, ...change } }));
  const sync = async (syncId: string): Promise<Sync> => {
    const found = (await readAppState()).syncs.find((candidate) => candidate.id === syncId);
    if (!found) throw new Error(`no sync ${syncId}`);
    return found;
  };
  /** Starts or triggers, then waits for the queue to drain. */
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await service.idle();
  };
  const segmentMembers = (name: string) => [...(emulators.clevertap.segment(name)?.members ?? [])].sort();

  return {
    ...emulators,
    hub,
    env,
    service,
    notifications,
    connect,
    settings,
    sync,
    settle,
    segmentMembers,
    close: () => hub.close(),
  };
}

export type Engine = Awaited<ReturnType<typeof startEngine>>;

export const sorted = (values: Iterable<string>) => [...values].sort();

function withTimeout(fetch: typeof globalThis.fetch, ms: number): typeof globalThis.fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
  };
}
