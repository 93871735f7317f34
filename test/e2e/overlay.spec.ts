/**
 * Inside Mixpanel, for real: the fixture app served as https://mixpanel.com/project/… (and
 * eu.mixpanel.com) by the Mixpanel emulator, the built extension in Chromium, and the sync landing
 * in the CleverTap emulator. Open a cohort's "…" → Export to → CleverTap (Cohort Sync) → Start Sync,
 * on every variant of the fixture (role-based menus; Panel-style menus with no roles, kept in the
 * DOM, the Export panel to the left; the flat "Export to Braze" style) — see test/fixtures/mixpanel.
 */
import type { Locator, Page } from '@playwright/test';
import { createCleverTapEmulator, type CleverTapEmulator } from '../emulators/clevertap';
import { createMixpanelEmulator, FIXTURE, type MixpanelEmulator, type SeededCohort } from '../emulators/mixpanel';
import { FIXTURE_COHORTS, serveMixpanelFixtures } from '../fixtures/mixpanel';
import { syncIdFor, type AppState } from '../../lib/storage/schema';
import { connectAccounts, expect, sendFromExtensionPage, stopServiceWorker, test as base } from './fixtures';

const US = FIXTURE.usProject.id;
const EU = FIXTURE.euProject.id;
const lexicon = (host: string, project: number, query = '') =>
  `https://${host}/project/${project}/view/1/app/lexicon${query}#cohorts`;

const CLEVERTAP_ITEM = 'CleverTap (Cohort Sync)';
const FLAT_ITEM = 'Export to CleverTap (Cohort Sync)';
/** What a correct export of each US cohort delivers: distinct_id → $CleverTap_user_id. */
const seeded = new Map<number, SeededCohort>();

const test = base.extend<{ mixpanel: MixpanelEmulator; clevertap: CleverTapEmulator }>({
  // eslint-disable-next-line no-empty-pattern
  mixpanel: async ({}, use) => {
    const mixpanel = createMixpanelEmulator({ pages: serveMixpanelFixtures });
    seeded.clear();
    for (const project of [US, EU]) {
      for (const cohort of FIXTURE_COHORTS) {
        const result = mixpanel.seedCohort({ projectId: project, cohortId: cohort.id, name: cohort.name, members: cohort.id === 1003 ? 60 : 5 });
        if (project === US) seeded.set(cohort.id, result);
      }
    }
    await use(mixpanel);
  },
  // eslint-disable-next-line no-empty-pattern
  clevertap: async ({}, use) => use(createCleverTapEmulator()),
  emulators: async ({ mixpanel, clevertap }, use) => use([mixpanel, clevertap]),
});

async function extensionPage(page: Page, extensionId: string): Promise<Page> {
  const extension = await page.context().newPage();
  await extension.goto(`chrome-extension://${extensionId}/manifest.json`);
  return extension;
}

const row = (page: Page, name: string) =>
  page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });

async function openCleverTap(page: Page, name: string) {
  await row(page, name).first().getByRole('button', { name: 'More actions' }).click();
  const menu = page.getByRole('menu', { name: 'Cohort actions' });
  await menu.getByRole('menuitem', { name: 'Export to…' }).hover();
  const item = page.getByRole('menuitem', { name: CLEVERTAP_ITEM, exact: true });
  await expect(item).toHaveCount(1);
  await item.click();
  const dialog = page.getByRole('dialog', { name: 'Export to CleverTap' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('Export to > CleverTap > Dynamic > Start Sync: a dynamic sync and a CleverTap segment', async ({
  context,
  extensionId,
  clevertap,
}) => {
  const page = await context.newPage();
  const extension = await extensionPage(page, extensionId);
  await connectAccounts(extension, { projectId: US, region: 'us' });
  await page.goto(lexicon('mixpanel.com', US));

  const dialog = await openCleverTap(page, 'Trial ending this week');
  await expect(dialog).toContainText('Trial ending this week');
  await expect(dialog).toContainText('(ID 1003)');
  await expect(dialog).toContainText('users are in this cohort');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog).toContainText('carry $CleverTap_user_id and will be exported');
  await dialog.getByLabel('Dynamic sync (every 15 minutes)').check();
  await dialog.getByRole('button', { name: 'Start Sync' }).click();
  await expect(dialog).toContainText('Dynamic sync (every 15 minutes) started.');
  await expect(dialog.getByRole('button', { name: 'Sync now' })).toBeVisible();

  await expect
    .poll(async () => {
      const state = await sendFromExtensionPage<{ ok: boolean; value: AppState }>(extension, { type: 'state.get' });
      return state.value.syncs.find((sync) => sync.id === syncIdFor(US, 1003))?.type;
    })
    .toBe('dynamic');
  await expect
    .poll(() => clevertap.segments().some((segment) => segment.name.includes('Trial ending this week') && segment.members.length > 0), {
      timeout: 60_000,
    })
    .toBe(true);

  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('on eu.mixpanel.com, from the Users report’s menu inside a shadow root', async ({ context, extensionId }) => {
  const page = await context.newPage();
  const extension = await extensionPage(page, extensionId);
  await connectAccounts(extension, { projectId: EU, region: 'eu' });
  await page.goto(`https://eu.mixpanel.com/project/${EU}/view/1/app/users#cohort_id=1001`);
  await page.getByRole('button', { name: 'Cohort actions' }).click();
  await page.getByRole('menuitem', { name: 'Export to…' }).hover();
  await page.getByRole('menuitem', { name: CLEVERTAP_ITEM, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Export to CleverTap' });
  await expect(dialog).toContainText('Power users');
  await dialog.getByLabel('One-time sync').check();
  await dialog.getByRole('button', { name: 'Start Sync' }).click();
  await expect
    .poll(async () => {
      const state = await sendFromExtensionPage<{ ok: boolean; value: AppState }>(extension, { type: 'state.get' });
      return state.value.syncs.find((sync) => sync.id === syncIdFor(EU, 1001))?.type;
    })
    .toBe('one-time');
});

/** Writes to an extension storage area from an extension page, as the background would. */
async function writeStorage(extension: Page, area: 'local' | 'session', items: Record<string, unknown>) {
  await extension.evaluate(
    async ([where, values]) => {
      type Area = { set(items: object): Promise<void> };
      await (globalThis as unknown as { chrome: { storage: Record<string, Area> } }).chrome.storage[where]!.set(values);
    },
    [area, items] as const,
  );
}

/** Evaluates `expression` in the content script's isolated world of `page` (CDP: Chrome names it for the extension's origin). */
async function inContentScriptWorld<T>(page: Page, extensionId: string, expression: string): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const worlds: { id: number; origin: string; auxData?: { type?: string } }[] = [];
    cdp.on('Runtime.executionContextCreated', ({ context }) => worlds.push(context));
    await cdp.send('Runtime.enable');
    await expect.poll(() => worlds.some((world) => world.origin === `chrome-extension://${extensionId}`)).toBe(true);
    const world = worlds.find((candidate) => candidate.origin === `chrome-extension://${extensionId}`)!;
    expect(world.auxData?.type).toBe('isolated');
    const { result } = await cdp.send('Runtime.evaluate', { expression, contextId: world.id, returnByValue: true });
    return result.value as T;
  } finally {
    await cdp.detach();
  }
}

test('the dialog follows a run’s progress through the state port, also after the worker stops; the tab listens to no storage', async ({
  context,
  extensionId,
}) => {
  const page = await context.newPage();
  const extension = await extensionPage(page, extensionId);
  await connectAccounts(extension, { projectId: US, region: 'us' });
  const { value: state } = await sendFromExtensionPage<{ value: AppState }>(extension, { type: 'state.get' });
  const syncId = syncIdFor(US, 1001);
  const running: AppState = {
    ...state,
    syncs: [
      { id: syncId, projectId: US, cohortId: 1001, cohortName: 'Power users', type: 'one-time', createdAt: Date.now(), status: { state: 'running' } },
    ],
  };
  await writeStorage(extension, 'local', { appState: running });
  const progress = (phase: 'reading' | 'delivering', done: number) => ({ syncId, kind: 'running', phase, done, total: 10_000, updatedAt: Date.now() });

  await page.goto(lexicon('mixpanel.com', US));
  const dialog = await openCleverTap(page, 'Power users');
  await expect(dialog).toContainText('One-time sync: Running');
  // The run's progress record (storage.session) is what a running sync shows, tick by tick.
  await writeStorage(extension, 'session', { [`progress:${syncId}`]: progress('reading', 1_000) });
  await expect(dialog).toContainText('(1,000 of 10,000)');
  const record = progress('delivering', 4_000);
  await writeStorage(extension, 'session', { [`progress:${syncId}`]: record });
  await expect(dialog).toContainText('Now sending to CleverTap (4,000 of 10,000)');

  // The worker stops (its port closes); the dialog reconnects and the next change still arrives.
  await stopServiceWorker(context, extensionId);
  // The fresh worker drops progress no run of its own writes (this sync has no run); the dialog hears of it.
  await expect(dialog).toContainText('Now reading the cohort from Mixpanel.');
  await writeStorage(extension, 'session', { [`progress:${syncId}`]: { ...record, done: 9_000, updatedAt: Date.now() } });
  await expect(dialog).toContainText('(9,000 of 10,000)');

  // So the state came through the port: nothing in the tab's isolated world listens to storage.
  expect(await inContentScriptWorld<boolean>(page, extensionId, 'chrome.runtime.onMessage.hasListeners()')).toBe(true);
  expect(await inContentScriptWorld<boolean>(page, extensionId, 'chrome.storage.onChanged.hasListeners()')).toBe(false);
  // The same check sees a listener when there is one.
  expect(
    await inContentScriptWorld<boolean>(page, extensionId, 'chrome.storage.onChanged.addListener(() => {}), chrome.storage.onChanged.hasListeners()'),
  ).toBe(true);
});

test('the item is there after client-side navigation, and never twice', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(`https://mixpanel.com/project/${US}/view/1/app/insights`);
  await page.getByRole('link', { name: 'Lexicon' }).click();
  await expect(page).toHaveURL(/\/app\/lexicon#cohorts$/);
  for (let round = 0; round < 10; round += 1) {
    await row(page, 'Power users').getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Export to…' }).hover();
    await expect(page.getByRole('menuitem', { name: CLEVERTAP_ITEM, exact: true })).toHaveCount(1);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toHaveCount(0);
  }
  // A report's menu is left alone.
  await page.getByRole('link', { name: 'Insights' }).click();
  await page.getByRole('button', { name: 'Report actions' }).click();
  await expect(page.getByRole('menu')).toContainText('Add to board');
  await expect(page.getByRole('menuitem', { name: /CleverTap/ })).toHaveCount(0);
  await expect(page.getByRole('menuitem', { name: 'Export to…' })).toHaveCount(0);
});

test('a menu rendered 500 ms late still gets the item', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(lexicon('mixpanel.com', US, '?menuDelay=500'));
  await row(page, 'Power users').getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menuitem', { name: 'Export to…' }).hover();
  await expect(page.getByRole('menuitem', { name: CLEVERTAP_ITEM, exact: true })).toHaveCount(1);
});

test('not connected: the dialog says so and opens the settings', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(lexicon('mixpanel.com', US));
  const dialog = await openCleverTap(page, 'Power users');
  await expect(dialog).toContainText('Mixpanel and CleverTap are not connected');
  await expect(dialog.getByRole('button', { name: 'Start Sync' })).toHaveCount(0);
  const opened = context.waitForEvent('page');
  await dialog.getByRole('button', { name: 'Open Cohort Sync settings' }).click();
  expect((await opened).url()).toMatch(/^chrome-extension:\/\/[a-p]{32}\/options\.html/);
});

test('a cohort name containing HTML renders as text', async ({ context, extensionId }) => {
  const page = await context.newPage();
  const extension = await extensionPage(page, extensionId);
  await connectAccounts(extension, { projectId: US, region: 'us' });
  await page.goto(lexicon('mixpanel.com', US));
  const dialog = await openCleverTap(page, '<b>VIP</b> & "friends"');
  await expect(dialog).toContainText('Cohort: <b>VIP</b> & "friends" (ID 1002)');
  await expect(dialog.locator('b')).toHaveCount(0);
});

test('two cohorts with the same name: the dialog asks which', async ({ context, extensionId }) => {
  const page = await context.newPage();
  const extension = await extensionPage(page, extensionId);
  await connectAccounts(extension, { projectId: US, region: 'us' });
  await page.goto(lexicon('mixpanel.com', US));
  const dialog = await openCleverTap(page, 'Churn risk');
  await expect(dialog).toContainText('2 cohorts are named “Churn risk”. Which one?');
  await expect(dialog.getByRole('button', { name: 'Start Sync' })).toBeDisabled();
  await dialog.getByLabel(/ID 1006/).check();
  await expect(dialog.getByRole('button', { name: 'Start Sync' })).toBeEnabled();
  await expect(dialog).toContainText('(ID 1006)');
});

// ---------------------------------------------------------------------------------------------
// Every variant of the fixture, end to end

interface Variant {
  name: string;
  query: string;
  /** Opens `cohort`'s menu and returns our item (the Export panel's entry, or the flat item). */
  openItem(page: Page, cohort: string): Promise<Locator>;
}

const panelRow = (page: Page, name: string) =>
  page.locator('div.mp-table-row').filter({ has: page.locator('.cell-cohort-name').getByText(name, { exact: true }) });
const openPanelMenu = async (page: Page, cohort: string) => {
  await panelRow(page, cohort).locator('mp-select a.mp-button-link').click();
  await expect(page.locator('mp-select.is-open')).toHaveCount(1);
};
const ownItem = (page: Page, label: string) => page.locator(`mp-select.is-open li[aria-label="${label}"]`);

async function throughPanel(page: Page, cohort: string): Promise<Locator> {
  await openPanelMenu(page, cohort);
  const exportItem = page.locator('mp-select.is-open li[aria-label="Export to..."]');
  await exportItem.hover();
  const item = ownItem(page, CLEVERTAP_ITEM);
  await expect(item).toBeVisible();
  // The app's panel opens to the left of its menu, and ours is in it.
  const [itemBox, exportBox] = [await item.boundingBox(), await exportItem.boundingBox()];
  expect(itemBox!.x + itemBox!.width).toBeLessThanOrEqual(exportBox!.x + 1);
  return item;
}

async function flat(page: Page, cohort: string): Promise<Locator> {
  await openPanelMenu(page, cohort);
  const item = ownItem(page, FLAT_ITEM);
  await expect(item).toBeVisible();
  return item;
}

const VARIANTS: Variant[] = [
  {
    name: 'role-based portal menus',
    query: '',
    openItem: async (page, cohort) => {
      await row(page, cohort).first().getByRole('button', { name: 'More actions' }).click();
      await page.getByRole('menu', { name: 'Cohort actions' }).getByRole('menuitem', { name: 'Export to…' }).hover();
      return page.getByRole('menuitem', { name: CLEVERTAP_ITEM, exact: true });
    },
  },
  { name: 'Panel menus, Export panel to the left', query: '?ui=panel', openItem: throughPanel },
  {
    name: 'Panel menus rebuilt on each open, Mixpanel’s own CleverTap connected',
    query: '?ui=panel&menu=create&clevertap=connected',
    openItem: async (page, cohort) => {
      const item = await throughPanel(page, cohort);
      // Right after Mixpanel's own CleverTap, told apart by its name.
      const labels = await page.locator('mp-select.is-open .panel li').evaluateAll((items) => items.map((li) => li.getAttribute('aria-label')));
      expect(labels).toEqual(['Braze (Default)', 'CleverTap (Default)', CLEVERTAP_ITEM, 'Segment (test_segment)', 'Iterable (Default)']);
      return item;
    },
  },
  { name: 'Panel menus, "Export to..." disabled', query: '?ui=panel&export=disabled&verify=1', openItem: flat },
  { name: 'Panel menus, no "Export to..."', query: '?ui=panel&export=absent', openItem: flat },
  { name: 'the flat "Export to Braze" style', query: '?ui=flat', openItem: flat },
];

async function expectSegmentExact(clevertap: CleverTapEmulator, cohortId: number, name: string) {
  const expected = [...seeded.get(cohortId)!.expected.values()].sort();
  await expect
    .poll(() => clevertap.segments().find((segment) => segment.name.includes(name))?.members.slice().sort(), { timeout: 60_000 })
    .toEqual(expected);
}

async function syncType(extension: Page, cohortId: number) {
  const state = await sendFromExtensionPage<{ ok: boolean; value: AppState }>(extension, { type: 'state.get' });
  return state.value.syncs.find((sync) => sync.id === syncIdFor(US, cohortId))?.type;
}

for (const variant of VARIANTS) {
  test(`${variant.name}: one item per opening, the right cohort, one-time and dynamic exports land exactly`, async ({
    context,
    extensionId,
    clevertap,
  }) => {
    const page = await context.newPage();
    const extension = await extensionPage(page, extensionId);
    await connectAccounts(extension, { projectId: US, region: 'us' });
    await page.goto(lexicon('mixpanel.com', US, variant.query));

    // One-time, for a cohort the page names only.
    let item = await variant.openItem(page, 'Trial ending this week');
    await expect(item).toHaveCount(1);
    await item.click();
    let dialog = page.getByRole('dialog', { name: 'Export to CleverTap' });
    await expect(dialog).toContainText('Trial ending this week');
    await expect(dialog).toContainText('(ID 1003)');
    // The app's menu closed under the dialog.
    await expect(page.locator('mp-select.is-open, [role="menu"]')).toHaveCount(0);
    await dialog.getByLabel('One-time sync').check();
    await dialog.getByRole('button', { name: 'Start Sync' }).click();
    await expect.poll(() => syncType(extension, 1003)).toBe('one-time');
    await expectSegmentExact(clevertap, 1003, 'Trial ending this week');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);

    // The same menu again, then another row's: still exactly one item each time.
    item = await variant.openItem(page, 'Trial ending this week');
    await expect(item).toHaveCount(1);
    await page.keyboard.press('Escape');
    item = await variant.openItem(page, 'Braze External ID Test #2');
    await expect(item).toHaveCount(1);
    await item.click();
    dialog = page.getByRole('dialog', { name: 'Export to CleverTap' });
    await expect(dialog).toContainText('Braze External ID Test #2');
    await expect(dialog).toContainText('(ID 1007)');
    await dialog.getByLabel('Dynamic sync (every 15 minutes)').check();
    await dialog.getByRole('button', { name: 'Start Sync' }).click();
    await expect.poll(() => syncType(extension, 1007)).toBe('dynamic');
    await expectSegmentExact(clevertap, 1007, 'Braze External ID Test #2');
  });
}

test('Panel menus: "Cohort ID: N" on the row is read; a hover re-render that drops our item brings it back', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(lexicon('mixpanel.com', US, '?ui=panel&export=disabled'));
  await openPanelMenu(page, 'مستخدمون نشطون'); // id 1004, shown as "Cohort ID: 1004"
  for (const label of ['View Users', 'Duplicate', 'Visualize Trend', 'Delete']) {
    await page.locator(`mp-select.is-open li[aria-label="${label}"]`).hover();
    await expect(page.locator(`mp-select.is-open li[aria-label="${label}"].focused`)).toHaveCount(1);
    await expect(ownItem(page, FLAT_ITEM)).toHaveCount(1);
  }
  const item = ownItem(page, FLAT_ITEM);
  // A clone without the native item's state: not focused, not selected, not disabled.
  await expect(item).not.toHaveClass(/\b(?:focused|selected|disabled)\b/);
  await item.click();
  await expect(page.getByRole('dialog', { name: 'Export to CleverTap' })).toContainText('(ID 1004)');
});

test('Panel menus by keyboard: open, reach our item, choose it', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(lexicon('mixpanel.com', US, '?ui=panel'));
  const trigger = panelRow(page, 'Power users').locator('mp-select a.mp-button-link');
  await trigger.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('mp-select.is-open')).toHaveCount(1);
  for (let step = 0; step < 4; step += 1) await page.keyboard.press('ArrowDown');
  await expect(page.locator('mp-select.is-open li.focused')).toHaveAttribute('aria-label', 'Export to...');
  await page.keyboard.press('ArrowRight');
  await expect(ownItem(page, CLEVERTAP_ITEM)).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(ownItem(page, CLEVERTAP_ITEM)).toBeFocused();
  // The panel rebuilds its list when its highlight moves: our item comes back with the focus it had.
  const native = page.locator('mp-select.is-open li[aria-label="Braze (Default)"]');
  await native.hover();
  await expect(native).toHaveClass(/\bfocused\b/);
  await expect(ownItem(page, CLEVERTAP_ITEM)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Export to CleverTap' })).toContainText('Power users');
  await expect(page.locator('mp-select.is-open')).toHaveCount(0);
});

test('the flat style by keyboard', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(lexicon('mixpanel.com', US, '?ui=flat'));
  await panelRow(page, 'Churn risk').first().locator('mp-select a.mp-button-link').focus();
  await page.keyboard.press('Enter');
  await expect(ownItem(page, FLAT_ITEM)).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(ownItem(page, FLAT_ITEM)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Export to CleverTap' })).toBeVisible();
});

test('a report’s "…" and a board’s "+" (Panel style) get nothing', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(lexicon('mixpanel.com', US, '?ui=panel'));
  await openPanelMenu(page, 'Power users');
  await page.keyboard.press('Escape');
  await page.getByRole('link', { name: 'Insights' }).click();
  await page.locator('mp-select[aria-label="Report actions"] a.mp-button-link').click();
  await expect(page.locator('mp-select.is-open li[aria-label="Refresh Data"]')).toBeVisible();
  await expect(page.locator('mp-select.is-open li[aria-label="Export to CSV"]')).toBeVisible();
  await expect(page.locator('[data-cohort-sync]')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await page.getByRole('link', { name: 'Boards' }).click();
  await page.locator('mp-select[icon="plus"] a.mp-button-link').click();
  await expect(page.locator('mp-select.is-open li[aria-label="Breakdown"]')).toBeVisible();
  await expect(page.locator('[data-cohort-sync]')).toHaveCount(0);
});

test('when the page defeats us: the popup says so and offers Export a cohort…; the options page copies the page report', async ({
  context,
  extensionId,
}) => {
  const page = await context.newPage();
  const extension = await extensionPage(page, extensionId);
  await connectAccounts(extension, { projectId: US, region: 'us' });
  await page.goto(lexicon('mixpanel.com', US, '?ui=panel&lang=fr'));
  await openPanelMenu(page, 'Power users');
  await expect(page.locator('mp-select.is-open li[aria-label="Exporter vers..."]')).toBeVisible();
  await expect(page.locator('[data-cohort-sync]')).toHaveCount(0);

  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  const notice = popup.getByRole('status').filter({ hasText: 'could not add its item' });
  await expect(notice).toBeVisible();
  await notice.getByRole('button', { name: 'Export a cohort…' }).click();
  await expect(popup.getByLabel('Cohort', { exact: true })).toBeVisible();

  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html#troubleshooting`);
  await options.getByRole('button', { name: 'Copy page report' }).click();
  const report = options.getByLabel('Page report');
  await expect(report).toContainText('Item placed: no');
  await expect(report).toContainText('#shadow-root (open)');
  await expect(report).toContainText('mp-items-menu');
  await expect(report).toContainText('li.list-option.selectable[aria-label="Exporter vers..."]');
  await expect(report).toContainText('div.mp-table-row');
  // Structure only: no text of the page (cohort names, counts, people).
  const text = await report.inputValue();
  for (const word of ['Power users', 'Ana Admin', '#cohorts']) expect(text).not.toContain(word);
  expect(text).not.toMatch(/\d,\d{3}/); // no cohort counts

  // A page the overlay can read leaves no notice.
  await page.goto(lexicon('mixpanel.com', US, '?ui=flat'));
  await openPanelMenu(page, 'Power users');
  await expect(ownItem(page, FLAT_ITEM)).toBeVisible();
  const again = await context.newPage();
  await again.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(again.getByRole('button', { name: 'Export a cohort…' })).toHaveCount(1);
  await expect(again.getByText('could not add its item')).toHaveCount(0);
});
