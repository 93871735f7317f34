/**
 * The real extension in Debian's Chromium for the benchmarks, as test/e2e/fixtures.ts does it:
 * production hosts mapped onto the in-process emulators, the worker reachable over CDP.
 * The extension comes from the benchmark's own build directory (see wxt.config.ts).
 */
import { chromium, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '../../test/emulators/hub';
import { startHub, type Hub } from '../../test/emulators/hub';
import { EMULATOR_CREDENTIALS } from '../../test/emulators';
import type { StateView as AppState } from '../../lib/messages';
import type { Settings } from '../../lib/storage/schema';
import { chromiumArgs, stopServiceWorker } from '../../test/e2e/fixtures';
import { devtoolsPort } from './cdp';
import { BENCH_OUT_DIR } from './wxt.config';

export const EXTENSION_DIR = join(BENCH_OUT_DIR, 'chrome-mv3');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BenchBrowser {
  hub: Hub;
  context: BrowserContext;
  userDataDir: string;
  /** chrome-extension:// id, or '' without the extension. */
  extensionId: string;
  /** An extension page to message the background from. */
  page: Page;
  devtoolsPort: number;
  send<T = unknown>(message: unknown): Promise<T>;
  worker(): Promise<Worker>;
  state(): Promise<AppState>;
  saveSettings(change: Partial<Settings>): Promise<void>;
  connect(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export async function launchBench(emulators: readonly Emulator[], options: { extension?: boolean } = {}): Promise<BenchBrowser> {
  const withExtension = options.extension ?? true;
  if (withExtension && !existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`No extension build at ${EXTENSION_DIR}`);
  const hub = await startHub(emulators);
  const userDataDir = mkdtempSync(join(tmpdir(), 'cohort-sync-bench-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [...chromiumArgs(hub.resolverRules, withExtension ? EXTENSION_DIR : null), '--remote-debugging-port=0'],
  });
  let port = 0;
  for (let attempt = 0; attempt < 100 && !port; attempt++) {
    try {
      port = devtoolsPort(userDataDir);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const close = async () => {
    await context.close();
    await hub.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  if (!withExtension) {
    const page = await context.newPage();
    const unsupported = () => Promise.reject(new Error('no extension in this browser'));
    return {
      hub, context, userDataDir, extensionId: '', page, devtoolsPort: port,
      send: unsupported, worker: unsupported, state: unsupported, saveSettings: unsupported,
      connect: unsupported, stopWorker: unsupported, close,
    };
  }
  const firstWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(firstWorker.url()).host;
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/manifest.json`);

  const send = async <T>(message: unknown): Promise<T> =>
    (await page.evaluate((payload) => {
      const { chrome } = globalThis as unknown as { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } };
      return chrome.runtime.sendMessage(payload);
    }, message)) as T;
  const state = async () => {
    const reply = await send<{ ok: boolean; value: AppState; error?: unknown }>({ type: 'state.get' });
    if (!reply.ok) throw new Error(`state.get failed: ${JSON.stringify(reply)}`);
    return reply.value;
  };
  const saveSettings = async (change: Partial<Settings>) => {
    const current = await state();
    const reply = await send<{ ok: boolean }>({ type: 'settings.save', settings: { ...current.settings, ...change } });
    if (!reply.ok) throw new Error(`settings.save failed: ${JSON.stringify(reply)}`);
  };
  const connect = async () => {
    const clevertap = await send<{ value?: { connected: boolean } }>({ type: 'clevertap.connect', ...EMULATOR_CREDENTIALS.clevertap });
    const mixpanel = await send<{ value?: { connected: boolean } }>({ type: 'mixpanel.connect', ...EMULATOR_CREDENTIALS.mixpanel });
    if (!clevertap.value?.connected || !mixpanel.value?.connected) {
      throw new Error(`Could not connect the emulated accounts: ${JSON.stringify({ clevertap, mixpanel })}`);
    }
    await saveSettings({ notificationEmail: 'admin@example.com' });
  };
  const worker = async () => context.serviceWorkers().find((w) => w.url().includes(extensionId)) ?? context.waitForEvent('serviceworker');
  const stopWorker = () => stopServiceWorker(context, extensionId);
  return { hub, context, userDataDir, extensionId, page, devtoolsPort: port, send, worker, state, saveSettings, connect, stopWorker, close };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
