/**
 * The Firefox harness: Debian's Firefox ESR driven over WebDriver BiDi (puppeteer-core), with the
 * built extension (.output/firefox-mv3) installed as a temporary add-on, and every production
 * host sent to the local emulators through a tunnelling proxy (no test-only URLs in the product).
 *
 * BiDi will not navigate a tab to a moz-extension:// page, so extension pages are only reached
 * the way a user reaches them: the product opens them (e.g. "Open Cohort Sync settings").
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startHub, type Emulator, type Hub } from '../emulators/hub';
import { startTunnelProxy, type TunnelProxy } from './proxy';

export const FIREFOX_EXTENSION_PATH = resolve(import.meta.dirname, '../../.output/firefox-mv3');
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** The add-on id from wxt.config.ts (browser_specific_settings.gecko.id). */
export const ADDON_ID = 'cohort-sync@cohortsync.dev';
/** Fixed through the `extensions.webextensions.uuids` pref, so the test knows the extension's origin. */
export const EXTENSION_UUID = '5b0c7e4e-3f7a-4c1e-9a55-0c5f1e3c2d71';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;

export interface FirefoxWithExtension {
  browser: Browser;
  hub: Hub;
  proxy: TunnelProxy;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /**
   * Firefox suspends an idle event page after `extensions.background.idle.timeout` (30 s by
   * default); a shorter one makes suspensions happen within a test.
   */
  eventPageIdleMs?: number;
}

export async function launchFirefox(emulators: readonly Emulator[], options: LaunchOptions = {}): Promise<FirefoxWithExtension> {
  if (!existsSync(join(FIREFOX_EXTENSION_PATH, 'manifest.json'))) {
    throw new Error(`No Firefox build at ${FIREFOX_EXTENSION_PATH}: run "npm run build:firefox" first.`);
  }
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(`Firefox not found at ${FIREFOX_PATH}: run "npm run setup" (installs firefox-esr) or set FIREFOX_PATH.`);
  }
  const hub = await startHub(emulators);
  const proxy = await startTunnelProxy(
    hub.httpsPort,
    emulators.flatMap((emulator) => emulator.hosts),
  );
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      // The hub's certificate is self-signed.
      acceptInsecureCerts: true,
      protocolTimeout: 60_000,
      extraPrefsFirefox: {
        'network.proxy.type': 1,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': proxy.port,
        'network.proxy.http': '127.0.0.1',
        'network.proxy.http_port': proxy.port,
        'network.proxy.no_proxies_on': '',
        'network.http.http3.enable': false,
        'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: EXTENSION_UUID }),
        // Stands in for the user's "Allow" in Firefox's permission prompt, which BiDi cannot reach:
        // the product's own permissions.request (from a click) still runs and grants.
        'extensions.webextOptionalPermissionPrompts': false,
        ...(options.eventPageIdleMs ? { 'extensions.background.idle.timeout': options.eventPageIdleMs } : {}),
      },
    });
    const installed = await browser.installExtension(FIREFOX_EXTENSION_PATH);
    if (installed !== ADDON_ID) throw new Error(`Firefox installed the add-on as ${installed}, expected ${ADDON_ID}`);
  } catch (error) {
    await browser?.close().catch(() => {});
    await Promise.all([proxy.close(), hub.close()]);
    throw error;
  }
  const launched = browser;
  return {
    browser: launched,
    hub,
    proxy,
    close: async () => {
      await launched.close().catch(() => {});
      await Promise.all([proxy.close(), hub.close()]);
    },
  };
}

/** The page's real address (puppeteer reports moz-extension tabs as about:blank). */
export async function locationOf(page: Page): Promise<string> {
  return page.evaluate(() => location.href).catch(() => '');
}

/**
 * Waits for a tab the extension opened on one of its own pages (`path`, e.g. `/options.html`)
 * and returns it. `action` is what makes the product open it.
 */
export async function extensionTabOpenedBy(browser: Browser, path: string, action: () => Promise<void>, timeoutMs = 15_000): Promise<Page> {
  const before = new Set(await browser.pages());
  await action();
  const wanted = `${EXTENSION_ORIGIN}${path}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const page of await browser.pages()) {
      if (before.has(page)) continue;
      if ((await locationOf(page)).startsWith(wanted)) return page;
    }
    if (Date.now() > deadline) throw new Error(`The extension did not open ${wanted} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sends a runtime message from an extension page, as its own scripts do; throws on a refusal. */
export async function sendFromExtensionPage<T>(page: Page, message: unknown): Promise<T> {
  const reply = (await page.evaluate(async (payload) => {
    const { browser } = globalThis as unknown as {
      browser: { runtime: { sendMessage(message: unknown): Promise<unknown> } };
    };
    return browser.runtime.sendMessage(payload);
  }, message as never)) as { ok: boolean; value?: T; error?: string };
  if (!reply?.ok) throw new Error(`The background refused ${JSON.stringify(message)}: ${reply?.error ?? 'no reply'}`);
  return reply.value as T;
}
