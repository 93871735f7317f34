/**
 * Chromium for the demo: the same flags as the end-to-end harness (production hosts mapped onto
 * the local emulators, their self-signed certificate accepted), with the demo's own build of the
 * extension, headed or headless.
 */
import { chromium, type BrowserContext } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { revealClosedShadowRoots } from '../../test/e2e/closed-shadow-roots';
import { CHROMIUM_PATH, chromiumArgs } from '../../test/e2e/fixtures';

export const ROOT = resolve(import.meta.dirname, '../..');
/** `wxt build --mode demo` writes here, never over .output/chrome-mv3, which the tests load. */
export const DEMO_EXTENSION_PATH = join(ROOT, '.output/chrome-mv3-demo');

export interface LaunchOptions {
  userDataDir: string;
  resolverRules: string;
  headless: boolean;
  extensionPath?: string;
}

export async function launchDemoChromium(options: LaunchOptions): Promise<BrowserContext> {
  const extensionPath = options.extensionPath ?? DEMO_EXTENSION_PATH;
  if (!existsSync(join(extensionPath, 'manifest.json'))) {
    throw new Error(`No built extension at ${extensionPath}: run the demo without --skip-build.`);
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: set CHROMIUM_PATH.`);
  const args = chromiumArgs(options.resolverRules, extensionPath);
  const context = await chromium.launchPersistentContext(options.userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: options.headless,
    args: options.headless ? args : [...args, '--window-size=1280,900'],
    viewport: options.headless ? { width: 1280, height: 800 } : null,
    // The demo decides what Ctrl-C does: close this browser, then the emulators, then exit.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  // The in-page UI is in closed shadow roots; the demo's locators need to see into them.
  revealClosedShadowRoots(context);
  return context;
}
