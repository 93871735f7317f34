/**
 * Inside Mixpanel, for real: the fixture app served as https://mixpanel.com/project/… (and
 * eu.mixpanel.com) by the Mixpanel emulator, the built extension in Chromium, and the sync landing
 * in the CleverTap emulator. Open a cohort's "…" → Export to → CleverTap → Dynamic → Start Sync.
 */
import type { Page } from '@playwright/test';
import { createCleverTapEmulator, type CleverTapEmulator } from '../emulators/clevertap';
import { createMixpanelEmulator, FIXTURE, type MixpanelEmulator } from '../emulators/mixpanel';
import { FIXTURE_COHORTS, serveMixpanelFixtures } from '../fixtures/mixpanel';
import { syncIdFor, type AppState } from '../../lib/storage/schema';
import { connectAccounts, expect, sendFromExtensionPage, test as base } from './fixtures';

const US = FIXTURE.usProject.id;
const EU = FIXTURE.euProject.id;
const lexicon = (host: string, project: number, query = '') =>
  `https://${host}/project/${project}/view/1/app/lexicon${query}#cohorts`;

const test = base.extend<{ mixpanel: MixpanelEmulator; clevertap: CleverTapEmulator }>({
  // eslint-disable-next-line no-empty-pattern
  mixpanel: async ({}, use) => {
    const mixpanel = createMixpanelEmulator({ pages: serveMixpanelFixtures });
    for (const project of [US, EU]) {
      for (const cohort of FIXTURE_COHORTS) {
        mixpanel.seedCohort({ projectId: project, cohortId: cohort.id, name: cohort.name, members: cohort.id === 1003 ? 60 : 5 });
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
  const item = page.getByRole('menuitem', { name: 'CleverTap', exact: true });
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
  await page.getByRole('menuitem', { name: 'CleverTap', exact: true }).click();
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

test('the item is there after client-side navigation, and never twice', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(`https://mixpanel.com/project/${US}/view/1/app/insights`);
  await page.getByRole('link', { name: 'Lexicon' }).click();
  await expect(page).toHaveURL(/\/app\/lexicon#cohorts$/);
  for (let round = 0; round < 10; round += 1) {
    await row(page, 'Power users').getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Export to…' }).hover();
    await expect(page.getByRole('menuitem', { name: 'CleverTap', exact: true })).toHaveCount(1);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('menu')).toHaveCount(0);
  }
  // A report's menu is left alone.
  await page.getByRole('link', { name: 'Insights' }).click();
  await page.getByRole('button', { name: 'Report actions' }).click();
  await expect(page.getByRole('menu')).toContainText('Add to board');
  await expect(page.getByRole('menuitem', { name: 'CleverTap' })).toHaveCount(0);
  await expect(page.getByRole('menuitem', { name: 'Export to…' })).toHaveCount(0);
});

test('a menu rendered 500 ms late still gets the item', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(lexicon('mixpanel.com', US, '?menuDelay=500'));
  await row(page, 'Power users').getByRole('button', { name: 'More actions' }).click();
  await page.getByRole('menuitem', { name: 'Export to…' }).hover();
  await expect(page.getByRole('menuitem', { name: 'CleverTap', exact: true })).toHaveCount(1);
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
