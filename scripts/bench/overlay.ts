/**
 * What the overlay costs the Mixpanel page: script sizes (gzip), main-thread time per mutation
 * batch on a heavy page (thousands of nodes, a live chart mutating every 8 ms), armed with the
 * role-based fixture's menu open and with the Panel-style fixture's menu open (`?ui=panel`: no
 * roles, shadow roots two deep, kept in the DOM), and the delay from a menu appearing to our item
 * being in it. "Idle" is traced once the page has settled: after an address change the content
 * script looks for the Integrations / Destinations list a few times (lib/overlay/integrations.ts).
 */
import type { CDPSession, Page } from '@playwright/test';
import type { ServerResponse } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { EmulatorRequest } from '../../test/emulators/hub';
import { createCleverTapEmulator } from '../../test/emulators/clevertap';
import { createMixpanelEmulator, FIXTURE } from '../../test/emulators/mixpanel';
import { FIXTURE_COHORTS, serveMixpanelFixtures } from '../../test/fixtures/mixpanel';
import { CLEVERTAP_LABEL } from '../../lib/overlay/menu';
import { EXTENSION_DIR, launchBench, sleep } from './browser';
import { percentile } from './stats';
import { SHIPPED_OUT_DIR } from './wxt.config';

export interface SizeFigure {
  name: string;
  files: string[];
  rawBytes: number;
  gzipBytes: number;
}

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

/** The always-loaded content script and each page with the files its HTML loads. */
export function scriptSizes(dir = EXTENSION_DIR): SizeFigure[] {
  const figure = (name: string, files: string[]): SizeFigure => ({
    name,
    files,
    rawBytes: files.reduce((sum, file) => sum + statSync(join(dir, file)).size, 0),
    gzipBytes: files.reduce((sum, file) => sum + gz(join(dir, file)), 0),
  });
  const contentScripts = readdirSync(join(dir, 'content-scripts')).map((file) => `content-scripts/${file}`);
  const page = (html: string) => {
    const text = readFileSync(join(dir, html), 'utf8');
    const refs = [...text.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((match) => match[1]!);
    return figure(html, [html, ...new Set(refs)]);
  };
  return [
    figure('content script (every Mixpanel page)', contentScripts),
    figure('export dialog (loaded on first use)', ['export-dialog.js']),
    page('popup.html'),
    page('options.html'),
    figure('background service worker', ['background.js']),
  ];
}

const HEAVY_NODES = 4000;
/** The fixture app, plus thousands of static nodes and a second live chart in the light DOM. */
const HEAVY_SHELL = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Mixpanel</title></head>
<body>
<div id="bench-grid"></div>
<div id="bench-ticker"></div>
<script type="module">
import { startFixtureApp } from '/__fixtures__/mixpanel/app.js';
startFixtureApp(window);
const grid = document.getElementById('bench-grid');
for (let i = 0; i < ${HEAVY_NODES}; i++) {
  const cell = document.createElement('span');
  cell.className = 'g-' + (i % 13);
  cell.textContent = String(i % 97);
  grid.append(cell);
}
const ticker = document.getElementById('bench-ticker');
let tick = 0;
window.__benchTicks = 0;
setInterval(() => {
  tick++;
  window.__benchTicks = tick;
  ticker.replaceChildren();
  for (let i = 0; i < 40; i++) {
    const bar = document.createElement('span');
    bar.textContent = String((tick * (i + 3)) % 97);
    ticker.append(bar);
  }
}, 8);
</script>
</body>
</html>`;

async function heavyPages(request: EmulatorRequest, response: ServerResponse): Promise<boolean> {
  if (request.method === 'GET' && /^\/project\/\d+(?:\/|$)/.test(request.url.pathname)) {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(HEAVY_SHELL);
    return true;
  }
  return serveMixpanelFixtures(request, response);
}

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: { url?: string; functionName?: string } };
}

async function trace(page: Page, cdp: CDPSession, ms: number): Promise<{ events: TraceEvent[]; ticks: number }> {
  const events: TraceEvent[] = [];
  const collect = ({ value }: { value: object[] }) => {
    events.push(...(value as TraceEvent[]));
  };
  cdp.on('Tracing.dataCollected', collect);
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  const ticks0 = await page.evaluate(() => (window as unknown as { __benchTicks: number }).__benchTicks);
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,toplevel,v8.execute',
    transferMode: 'ReportEvents',
  });
  await sleep(ms);
  const ticks1 = await page.evaluate(() => (window as unknown as { __benchTicks: number }).__benchTicks);
  await cdp.send('Tracing.end');
  await complete;
  cdp.off('Tracing.dataCollected', collect);
  return { events, ticks: ticks1 - ticks0 };
}

export interface OverlayCost {
  label: string;
  ticks: number;
  /** Our content script's callbacks (FunctionCall events from chrome-extension:// scripts). */
  ourCalls: number;
  ourP50Ms: number;
  ourP95Ms: number;
  ourMaxMs: number;
  ourTotalMs: number;
  /** Renderer main-thread busy time (top-level tasks) per tick of the page's charts. */
  busyPerTickMs: number;
}

function summarize(label: string, events: TraceEvent[], ticks: number, extensionId: string): OverlayCost {
  const ours = events
    .filter((event) => event.ph === 'X' && event.name === 'FunctionCall' && (event.args?.data?.url ?? '').includes(`chrome-extension://${extensionId}`) && extensionId)
    .map((event) => (event.dur ?? 0) / 1000);
  // The main thread of the page's renderer: the thread that ran the page's FunctionCalls.
  const calls = events.filter((event) => event.name === 'FunctionCall' && (event.args?.data?.url ?? '').includes('mixpanel.com'));
  const main = calls[0];
  const busy = main
    ? events
        .filter((event) => event.ph === 'X' && event.name === 'RunTask' && event.pid === main.pid && event.tid === main.tid)
        .reduce((sum, event) => sum + (event.dur ?? 0) / 1000, 0)
    : 0;
  return {
    label,
    ticks,
    ourCalls: ours.length,
    ourP50Ms: percentile(ours, 0.5),
    ourP95Ms: percentile(ours, 0.95),
    ourMaxMs: ours.length ? Math.max(...ours) : 0,
    ourTotalMs: ours.reduce((sum, d) => sum + d, 0),
    busyPerTickMs: ticks > 0 ? busy / ticks : 0,
  };
}

export interface MenuDelay {
  opens: number;
  /** Menus whose item was present at the first animation frame after the menu appeared. */
  sameFrame: number;
  delayP50Ms: number;
  delayP95Ms: number;
  delayMaxMs: number;
}

export interface OverlayResult {
  sizes: SizeFigure[];
  costs: OverlayCost[];
  menu: MenuDelay;
  heavyNodes: number;
}

const US = FIXTURE.usProject.id;
const LEXICON = `https://mixpanel.com/project/${US}/view/1/app/lexicon?churn=1#cohorts`;
const PANEL_LEXICON = `https://mixpanel.com/project/${US}/view/1/app/lexicon?churn=1&ui=panel#cohorts`;
const TRACE_MS = 4000;
/** The content script's last look for a destinations list after an address change is at 4 s. */
const SETTLE_MS = 4500;

async function openLexicon(page: Page, url = LEXICON): Promise<void> {
  await page.bringToFront();
  await page.goto(url);
  await page.locator(url === LEXICON ? 'mp-icon-button' : 'mp-select').first().waitFor();
  await sleep(SETTLE_MS);
}

async function openPanelExport(page: Page): Promise<void> {
  const cohort = FIXTURE_COHORTS[0]!.name;
  const row = page.locator('div.mp-table-row').filter({ has: page.locator('.cell-cohort-name').getByText(cohort, { exact: true }) });
  await row.locator('mp-select a.mp-button-link').click();
  await page.locator('mp-select.is-open li[aria-label="Export to..."]').hover();
  await page.locator(`mp-select.is-open li[aria-label="${CLEVERTAP_LABEL}"]`).waitFor();
}

async function openExportSubmenu(page: Page): Promise<void> {
  const cohort = FIXTURE_COHORTS[0]!.name;
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: cohort, exact: true }) });
  await row.first().getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menu', { name: 'Cohort actions' }).getByRole('menuitem', { name: 'Export to…' }).hover();
  await page.getByRole('menuitem', { name: CLEVERTAP_LABEL, exact: true }).waitFor();
}

export async function overlayBench(): Promise<OverlayResult> {
  // The shipped (minified) build's sizes: what users download and every Mixpanel page loads.
  const sizes = scriptSizes(join(SHIPPED_OUT_DIR, 'chrome-mv3'));
  const costs: OverlayCost[] = [];
  const emulators = () => {
    const mixpanel = createMixpanelEmulator({ pages: heavyPages });
    for (const cohort of FIXTURE_COHORTS) mixpanel.seedCohort({ projectId: US, cohortId: cohort.id, name: cohort.name, members: 5 });
    return [mixpanel, createCleverTapEmulator()];
  };

  // Without the extension: the page's own cost per tick, the baseline.
  const plain = await launchBench(emulators(), { extension: false });
  try {
    await openLexicon(plain.page);
    const cdp = await plain.context.newCDPSession(plain.page);
    const { events, ticks } = await trace(plain.page, cdp, TRACE_MS);
    costs.push(summarize('no extension', events, ticks, ''));
  } finally {
    await plain.close();
  }

  const browser = await launchBench(emulators());
  let menu: MenuDelay;
  try {
    const page = await browser.context.newPage();
    await openLexicon(page);
    const cdp = await browser.context.newCDPSession(page);
    const idle = await trace(page, cdp, TRACE_MS);
    costs.push(summarize('extension, idle (no menu open)', idle.events, idle.ticks, browser.extensionId));
    await openExportSubmenu(page);
    const armed = await trace(page, cdp, TRACE_MS);
    costs.push(summarize('extension, armed (cohort menu open)', armed.events, armed.ticks, browser.extensionId));
    await page.keyboard.press('Escape');
    menu = await menuDelay(page, 20);

    await openLexicon(page, PANEL_LEXICON);
    await openPanelExport(page);
    const panel = await trace(page, cdp, TRACE_MS);
    costs.push(summarize('extension, armed (Panel-style menu open, no roles)', panel.events, panel.ticks, browser.extensionId));
    await page.keyboard.press('Escape');
  } finally {
    await browser.close();
  }
  return { sizes, costs, menu, heavyNodes: HEAVY_NODES };
}

/** Opens the cohort menu and its Export submenu `times` times; a main-world probe times our item. */
async function menuDelay(page: Page, times: number): Promise<MenuDelay> {
  await page.evaluate(() => {
    type Probe = { menus: { at: number; itemAt?: number; beforePaint?: boolean }[] };
    const probe: Probe = { menus: [] };
    (window as unknown as { __probe: Probe }).__probe = probe;
    const pending = new Map<Element, Probe['menus'][number]>();
    new MutationObserver((records) => {
      const now = performance.now();
      for (const record of records) {
        for (const node of Array.from(record.addedNodes)) {
          if (!(node instanceof Element)) continue;
          const menus = node.matches('[role="menu"]') ? [node] : Array.from(node.querySelectorAll('[role="menu"]'));
          for (const menu of menus) {
            // The Export submenu is the one our item goes into (the cohort menu has the app's own "Export to…").
            if (!menu.hasAttribute('aria-labelledby')) continue;
            const entry = { at: now } as Probe['menus'][number];
            probe.menus.push(entry);
            pending.set(menu, entry);
            requestAnimationFrame(() => {
              entry.beforePaint = Boolean(menu.querySelector('[data-cohort-sync]'));
            });
          }
          if (node.hasAttribute('data-cohort-sync') || node.querySelector('[data-cohort-sync]')) {
            for (const [menu, entry] of pending) {
              if (menu.contains(node) && entry.itemAt === undefined) {
                entry.itemAt = now;
                pending.delete(menu);
              }
            }
          }
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  for (let index = 0; index < times; index++) {
    await openExportSubmenu(page);
    await sleep(50);
    await page.keyboard.press('Escape');
    await page.getByRole('menu', { name: 'Cohort actions' }).waitFor({ state: 'detached' });
    await sleep(30);
  }
  const menus = await page.evaluate(
    () => (window as unknown as { __probe: { menus: { at: number; itemAt?: number; beforePaint?: boolean }[] } }).__probe.menus,
  );
  const delays = menus.map((m) => (m.itemAt === undefined ? Number.POSITIVE_INFINITY : m.itemAt - m.at));
  return {
    opens: menus.length,
    sameFrame: menus.filter((m) => m.beforePaint).length,
    delayP50Ms: percentile(delays, 0.5),
    delayP95Ms: percentile(delays, 0.95),
    delayMaxMs: delays.length ? Math.max(...delays) : 0,
  };
}
