/**
 * The real-browser harness: Debian's Chromium with the built extension loaded, and every
 * production API host mapped onto the local emulators (no test-only URLs in the product).
 */
import { test as base, chromium, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createEmulators, EMULATOR_CREDENTIALS, type EmulatorSet } from '../emulators';
import { startHub, type Emulator, type Hub } from '../emulators/hub';
import { revealClosedShadowRoots } from './closed-shadow-roots';

export const EXTENSION_PATH = resolve(import.meta.dirname, '../../.output/chrome-mv3');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium's flags for this machine, with the production hosts mapped; `extensionPath` null loads none. */
export function chromiumArgs(resolverRules: string, extensionPath: string | null = EXTENSION_PATH): string[] {
  return [
    ...(extensionPath ? [`--disable-extensions-except=${extensionPath}`, `--load-extension=${extensionPath}`] : []),
    `--host-resolver-rules=${resolverRules}, EXCLUDE localhost`,
    '--ignore-certificate-errors',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ];
}

export async function launchWithExtension(userDataDir: string, resolverRules: string): Promise<BrowserContext> {
  if (!existsSync(join(EXTENSION_PATH, 'manifest.json'))) {
    throw new Error(`No built extension at ${EXTENSION_PATH}: run "npm run build" first.`);
  }
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: chromiumArgs(resolverRules),
  });
  // The in-page UI is in closed shadow roots; locators need to see into them (the page still cannot).
  revealClosedShadowRoots(context);
  return context;
}

export async function extensionWorker(context: BrowserContext): Promise<Worker> {
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
}

/**
 * Stops the extension's service worker the way Chrome does when it idles: CDP
 * `ServiceWorker.stopWorker` on each running version, resolved once Chrome reports it stopped.
 */
export async function stopServiceWorker(context: BrowserContext, extensionId: string): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${extensionId}/manifest.json`);
    const cdp = await context.newCDPSession(page);
    const status = new Map<string, string>();
    // Open pages reconnect their state port, which may start the worker again right away: what
    // counts is that each version was seen stopped, not that it still is.
    const stopped = new Set<string>();
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions) {
        if (version.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) {
          status.set(version.versionId, version.runningStatus);
          if (version.runningStatus === 'stopped') stopped.add(version.versionId);
        }
      }
    });
    await cdp.send('ServiceWorker.enable');
    await expectSoon(() => status.size > 0, 'the extension service worker to be listed');
    for (const [versionId, runningStatus] of status) {
      if (runningStatus === 'stopped') stopped.add(versionId);
      else await cdp.send('ServiceWorker.stopWorker', { versionId });
    }
    await expectSoon(() => [...status.keys()].every((versionId) => stopped.has(versionId)), 'the service worker to stop');
    await cdp.detach();
  } finally {
    await page.close();
  }
}

async function expectSoon(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sends a runtime message from an extension page, as the popup or options page would. */
/**
 * Writes a state as pages see it into the extension's storage, as the background keeps it: the app
 * state in storage.local (a running sync's status bare, the last run without its rejections) and
 * each running sync's progress under `progress:<syncId>` in storage.session.
 */
export async function writeViewState(serviceWorker: Worker, view: { syncs: { id: string; status: { state: string } }[] }): Promise<void> {
  await serviceWorker.evaluate(async (value) => {
    type Area = { set(items: object): Promise<void> };
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: Area; session: Area } } };
    const progress: Record<string, object> = {};
    const syncs = value.syncs.map((sync) => {
      const { status, lastRun, ...rest } = sync as typeof sync & { lastRun?: Record<string, unknown> };
      const stored: Record<string, unknown> = { ...rest, status };
      if (lastRun) {
        const { rejections: _rejections, ...kept } = lastRun;
        stored.lastRun = kept;
      }
      if (status.state === 'running') {
        const { phase, done, total, etaAt } = status as unknown as { phase: string; done: number; total: number; etaAt?: number };
        progress[`progress:${sync.id}`] = { syncId: sync.id, kind: 'running', phase, done, total, etaAt, updatedAt: Date.now() };
        stored.status = { state: 'running' };
      }
      return stored;
    });
    await chrome.storage.session.set(progress);
    await chrome.storage.local.set({ appState: { ...value, syncs } });
  }, view);
}

export function sendFromExtensionPage<T>(page: Page, message: unknown): Promise<T> {
  return page.evaluate((payload) => {
    const { chrome } = globalThis as unknown as {
      chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } };
    };
    return chrome.runtime.sendMessage(payload);
  }, message) as Promise<T>;
}

/** Connects both emulated accounts from an extension page, as the options page would. */
export async function connectAccounts(
  page: Page,
  options: { projectId?: number; region?: 'us' | 'eu' | 'in'; notificationEmail?: string } = {},
): Promise<void> {
  const clevertap = await sendFromExtensionPage<{ ok: boolean; value?: { connected: boolean } }>(page, {
    type: 'clevertap.connect',
    ...EMULATOR_CREDENTIALS.clevertap,
  });
  const mixpanel = await sendFromExtensionPage<{ ok: boolean; value?: { connected: boolean } }>(page, {
    type: 'mixpanel.connect',
    ...EMULATOR_CREDENTIALS.mixpanel,
    ...(options.projectId ? { projectId: options.projectId } : {}),
    ...(options.region ? { region: options.region } : {}),
  });
  if (!clevertap.value?.connected || !mixpanel.value?.connected) {
    throw new Error(`Could not connect the emulated accounts: ${JSON.stringify({ clevertap, mixpanel })}`);
  }
  const state = await sendFromExtensionPage<{ value: { settings: Record<string, unknown> } }>(page, { type: 'state.get' });
  const settings = { ...state.value.settings, notificationEmail: options.notificationEmail ?? 'admin@example.com' };
  const saved = await sendFromExtensionPage<{ ok: boolean }>(page, { type: 'settings.save', settings });
  if (!saved.ok) throw new Error('Could not save the sync settings');
}

interface Fixtures {
  /** Both API emulators with their fixture accounts; tests seed and inspect them directly. */
  apis: EmulatorSet;
  /** Emulators to serve: both APIs by default; a test file may override this fixture. */
  emulators: Emulator[];
  /** An extension page (the manifest) from which to message the background. */
  extensionPage: Page;
  hub: Hub;
  userDataDir: string;
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  stopWorker: () => Promise<void>;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  apis: async ({}, use) => use(createEmulators()),
  emulators: async ({ apis }, use) => use(apis.list),
  hub: async ({ emulators }, use) => {
    const hub = await startHub(emulators);
    await use(hub);
    await hub.close();
  },
  // eslint-disable-next-line no-empty-pattern
  userDataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'cohort-sync-profile-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  context: async ({ hub, userDataDir }, use) => {
    const context = await launchWithExtension(userDataDir, hub.resolverRules);
    await use(context);
    await context.close();
  },
  serviceWorker: async ({ context }, use) => {
    await use(await extensionWorker(context));
  },
  extensionId: async ({ serviceWorker }, use) => {
    await use(new URL(serviceWorker.url()).host);
  },
  extensionPage: async ({ context, extensionId }, use) => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/manifest.json`);
    await use(page);
  },
  stopWorker: async ({ context, extensionId }, use) => {
    await use(() => stopServiceWorker(context, extensionId));
  },
});

export const expect = test.expect;
