/**
 * The real sync service in Node: storage and alarms in memory (lib/sync/memory-environment.ts),
 * fake-indexeddb as the IndexedDB, and the real API clients talking HTTP to both emulators through
 * the hub. No fake browser: a test that needs one (the router's) passes browser storage in.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { resetDbHandle } from '../../../lib/storage/db';
import type { EngineStorage } from '../../../lib/storage/items';
import type { Settings, Sync } from '../../../lib/storage/schema';
import { connectCleverTap, connectMixpanel } from '../../../lib/sync/connections';
import { memoryEnvironment } from '../../../lib/sync/memory-environment';
import { SyncService } from '../../../lib/sync/service';
import type { RetryPolicy } from '../../../lib/http/retry';
import { createEmulators, EMULATOR_CREDENTIALS, type EmulatorSetOptions } from '../../emulators';
import { startHub } from '../../emulators/hub';

export const PROJECT_ID = EMULATOR_CREDENTIALS.mixpanel.projectId;

export interface EngineOptions extends EmulatorSetOptions {
  /** Every request gives up after this long (the clients' own timeouts are minutes). */
  fetchTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** The run queue's gathering time (none by default, so tests start runs at once). */
  queueGatherMs?: number;
  /** Another storage than memory (the browser's, for tests that go through the router). */
  storage?: (indexedDB: IDBFactory) => EngineStorage;
}

export async function startEngine(options: EngineOptions = {}) {
  const indexedDB = new IDBFactory();
  globalThis.indexedDB = indexedDB;
  resetDbHandle();
  const emulators = createEmulators(options);
  const hub = await startHub(emulators.list);
  const env = memoryEnvironment({
    fetch: options.fetchTimeoutMs ? withTimeout(hub.fetch, options.fetchTimeoutMs) : hub.fetch,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2, sleep: async () => {}, ...options.retry },
    now: () => Date.now(),
    periodMinutes: 15,
    queueGatherMs: options.queueGatherMs,
    indexedDB,
    ...(options.storage ? { storage: options.storage(indexedDB) } : {}),
  });
  const service = new SyncService(env);

  const connect = async () => {
    const clevertap = await connectCleverTap(EMULATOR_CREDENTIALS.clevertap, env);
    const mixpanel = await connectMixpanel(EMULATOR_CREDENTIALS.mixpanel, env);
    if (!clevertap.connected || !mixpanel.connected) throw new Error('emulator connection failed');
  };
  const settings = (change: Partial<Settings>) =>
    env.storage.appState.update((state) => ({ ...state, settings: { ...state.settings, ...change } }));
  const state = () => env.storage.appState.read();
  const sync = async (syncId: string): Promise<Sync> => {
    const found = (await state()).syncs.find((candidate) => candidate.id === syncId);
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
    notifications: env.notifications,
    connect,
    settings,
    state,
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
