/**
 * CleverTap on Mixpanel's Integrations / Destinations page, for real: the fixture app served as
 * https://mixpanel.com/project/… by the Mixpanel emulator, the built extension in Chromium, the
 * CleverTap emulator answering the credential check. Connect from the page (wrong passcode, wrong
 * region, success), Connected in the popup at the same moment, Add Cohort Sync, Disconnect; and
 * the entry across late rendering, re-rendered lists and client-side navigation, never twice.
 */
import type { Locator, Page } from '@playwright/test';
import { createEmulators } from '../emulators';
import { DEFAULT_EMULATOR_ACCOUNT } from '../emulators/clevertap';
import { FIXTURE } from '../emulators/mixpanel';
import { FIXTURE_COHORTS, serveMixpanelFixtures } from '../fixtures/mixpanel';
import { syncIdFor, type AppState } from '../../lib/storage/schema';
import { expect, sendFromExtensionPage, test as base } from './fixtures';
import { connectFrames, connectMixpanel, connectedTag, entryOf } from './integrations-page';

const US = FIXTURE.usProject.id;
const EU = FIXTURE.euProject.id;

const test = base.extend({
  // eslint-disable-next-line no-empty-pattern
  apis: async ({}, use) => {
    const apis = createEmulators({ mixpanel: { pages: serveMixpanelFixtures } });
    for (const project of [US, EU]) {
      for (const cohort of FIXTURE_COHORTS.slice(0, 6)) {
        apis.mixpanel.seedCohort({ projectId: project, cohortId: cohort.id, name: cohort.name, members: 8 });
      }
    }
    await use(apis);
  },
});


async function fill(dialog: Locator, input: { accountId: string; passcode: string; region: string }) {
  await dialog.getByLabel('Project ID').fill(input.accountId);
  await dialog.getByLabel('Passcode', { exact: true }).fill(input.passcode);
  await dialog.getByLabel('Region').selectOption({ label: input.region });
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
}

/** The Connect CleverTap pages framed into `page`, by URL. */

/** Every input value and every bit of markup of the page, across open shadow roots. */
function pageHolds(page: Page, secret: string): Promise<boolean> {
  return page.evaluate((value) => {
    const seen: string[] = [];
    const visit = (root: Document | ShadowRoot) => {
      for (const element of Array.from(root.querySelectorAll('*'))) {
        if (element instanceof HTMLInputElement) seen.push(element.value);
        if (element.shadowRoot) {
          seen.push(element.shadowRoot.innerHTML);
          visit(element.shadowRoot);
        }
      }
    };
    seen.push(document.documentElement.outerHTML);
    visit(document);
    return seen.some((text) => text.includes(value));
  }, secret);
}

test('Integrations page: Connect (wrong passcode, wrong region, success), Connected in the popup, Add Cohort Sync, Disconnect', async ({
  context,
  extensionId,
  extensionPage,
}) => {
  await connectMixpanel(extensionPage, US, 'us');
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 400, height: 600 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(popup.getByText('CleverTap not connected')).toBeVisible();

  const page = await context.newPage();
  await page.goto(`https://mixpanel.com/project/${US}/view/1/app/integrations`);
  const entry = entryOf(page);
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('Cohort Sync extension');
  // Among the partner rows, right after Mixpanel's own CleverTap row (which stays, untouched), and
  // never inside its table of synced cohorts.
  const rows = page.locator('.integrations-list').first().locator(':scope > div');
  await expect(rows.nth(2).locator('.integration-name')).toHaveText('CleverTap');
  await expect(rows.nth(3)).toHaveAttribute('data-cohort-sync', 'integration');
  await expect(rows.nth(4).locator('.integration-name')).toHaveText('Customer.io');
  await expect(page.locator('table.synced-cohorts [data-cohort-sync]')).toHaveCount(0);

  // Escape in the framed page closes it, and focus comes back to the entry.
  await entry.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.frameLocator('iframe[title="Connect CleverTap"]').getByLabel('Project ID')).toBeFocused();
  // Key down only while the frame has focus: it closes on keydown, and a key-up sent into a frame
  // being removed can leave the input dispatch waiting on a frame that is gone.
  await page.keyboard.down('Escape');
  await expect.poll(() => connectFrames(page)).toEqual([]);
  await page.keyboard.up('Escape');
  await expect(entry.getByRole('button', { name: 'CleverTap', exact: true })).toBeFocused();

  await entry.getByRole('button', { name: 'Connect', exact: true }).click();
  // The form is an extension page framed over Mixpanel's, not part of the page's DOM.
  const dialog = page.frameLocator('iframe[title="Connect CleverTap"]').getByRole('dialog', { name: 'Connect CleverTap' });
  await expect(dialog).toBeVisible();
  expect(connectFrames(page).map((url) => new URL(url).protocol)).toEqual(['chrome-extension:']);
  await expect(dialog.getByText('“App ID” in Mixpanel’s help')).toBeVisible();
  await expect(dialog.getByText('“API Key” in Mixpanel’s help')).toBeVisible();
  await expect(dialog.getByLabel('Region')).toHaveValue('eu1');
  await expect(dialog.getByLabel('Passcode', { exact: true })).toHaveAttribute('type', 'password');

  // Validation, as on the options page.
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(dialog).toContainText('Enter the Project ID from CleverTap’s Settings → Project.');
  await expect(dialog).toContainText('Enter the Passcode from CleverTap’s Settings → Project.');

  // Wrong passcode.
  await fill(dialog, { accountId: DEFAULT_EMULATOR_ACCOUNT.accountId, passcode: 'wrong-passcode', region: 'Europe' });
  await expect(dialog.getByRole('alert')).toContainText('CleverTap did not accept this Project ID and Passcode.');
  await expect(dialog.getByLabel('Passcode', { exact: true })).toHaveValue('');
  expect(await pageHolds(page, 'wrong-passcode')).toBe(false);

  // Wrong region: the default account lives in eu1.
  await fill(dialog, { ...DEFAULT_EMULATOR_ACCOUNT, region: 'India' });
  await expect(dialog.getByRole('alert')).toContainText('This project is not in the region you chose.');
  await expect(dialog.getByRole('alert')).toContainText('CleverTap answered from Europe');
  expect(await pageHolds(page, DEFAULT_EMULATOR_ACCOUNT.passcode)).toBe(false);
  await dialog.getByRole('button', { name: 'Use Europe' }).click();
  await expect(dialog.getByLabel('Region')).toHaveValue('eu1');

  // Success.
  await fill(dialog, { ...DEFAULT_EMULATOR_ACCOUNT, region: 'Europe' });
  await expect.poll(() => connectFrames(page)).toEqual([]);
  await expect(connectedTag(entry)).toBeVisible();
  await expect(entry.getByRole('button', { name: 'Connect', exact: true })).toHaveCount(0);
  expect(await pageHolds(page, DEFAULT_EMULATOR_ACCOUNT.passcode)).toBe(false);
  // The popup, open all along, says so too.
  await expect(popup.getByText('CleverTap Connected')).toBeVisible();

  // Expand: this project's syncs, Add Cohort Sync, and the note on the reverse direction.
  await entry.getByRole('button', { name: 'CleverTap', exact: true }).click();
  await expect(entry.getByRole('button', { name: 'CleverTap', exact: true })).toHaveAttribute('aria-expanded', 'true');
  await expect(entry).toContainText('No cohort of this project is exported to CleverTap yet.');
  await expect(entry).toContainText('“Mixpanel Export”');
  await expect(entry).toContainText('Message delivery events do not count toward Mixpanel’s Monthly Tracked Users (MTU)');
  await entry.getByRole('button', { name: 'Add Cohort Sync' }).click();
  await entry.getByLabel('Cohort', { exact: true }).selectOption('1003');
  await entry.getByLabel('Dynamic').check();
  await entry.getByRole('button', { name: 'Start Sync' }).click();
  await expect(entry).toContainText('Dynamic sync of “Trial ending this week” started.');
  const syncs = entry.getByRole('list', { name: 'Cohort syncs of this project' });
  await expect(syncs.getByRole('listitem').filter({ hasText: 'Trial ending this week' })).toHaveCount(1);
  await expect
    .poll(async () => {
      const state = await sendFromExtensionPage<{ value: AppState }>(extensionPage, { type: 'state.get' });
      return state.value.syncs.find((sync) => sync.id === syncIdFor(US, 1003))?.type;
    })
    .toBe('dynamic');
  // The same sync in the popup.
  await expect(popup.getByRole('listitem').filter({ hasText: 'Trial ending this week' })).toHaveCount(1);

  // Manage syncs opens the options page.
  const opened = context.waitForEvent('page');
  await entry.getByRole('button', { name: 'Manage syncs' }).click();
  expect((await opened).url()).toMatch(/^chrome-extension:\/\/[a-p]{32}\/options\.html/);

  // Disconnect, two steps.
  await entry.getByRole('button', { name: 'Disconnect', exact: true }).click();
  await entry.getByRole('button', { name: 'Disconnect CleverTap' }).click();
  await expect(entry.getByRole('button', { name: 'Connect', exact: true })).toBeVisible();
  await expect(connectedTag(entry)).toHaveCount(0);
  await expect(popup.getByText('CleverTap not connected')).toBeVisible();
  await expect(entryOf(page)).toHaveCount(1);
});

test('Destinations page on eu.mixpanel.com: late list, client-side navigation, re-rendered tabs, never twice', async ({
  context,
  extensionPage,
}) => {
  const ct = await sendFromExtensionPage(extensionPage, { type: 'clevertap.connect', ...DEFAULT_EMULATOR_ACCOUNT });
  expect(ct).toMatchObject({ ok: true, value: { connected: true } });
  await connectMixpanel(extensionPage, EU, 'eu');

  const page = await context.newPage();
  await page.goto(`https://eu.mixpanel.com/project/${EU}/view/1/app/insights?listDelay=600`);
  await expect(page.getByRole('heading', { name: /Insights/ })).toBeVisible();
  await expect(entryOf(page)).toHaveCount(0);

  await page.getByRole('link', { name: 'Destinations' }).click();
  await expect(page).toHaveURL(/\/app\/destinations/);
  const entry = entryOf(page);
  await expect(entry).toHaveCount(1);
  await expect(connectedTag(entry)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Connect CleverTap' })).toBeVisible(); // Mixpanel's own tile

  for (const tab of ['Connected', 'Available', 'Connected']) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByRole('list', { name: `${tab} destinations` })).toBeVisible();
    await expect(entryOf(page)).toHaveCount(1);
  }

  // This project's syncs, from the entry.
  await entry.getByRole('button', { name: 'CleverTap', exact: true }).click();
  await entry.getByRole('button', { name: 'Add Cohort Sync' }).click();
  await entry.getByLabel('Cohort', { exact: true }).selectOption('1001');
  await entry.getByLabel('One-time').check();
  await entry.getByRole('button', { name: 'Start Sync' }).click();
  await expect(entry.getByRole('list', { name: 'Cohort syncs of this project' })).toContainText('Power users');

  await page.getByRole('link', { name: 'Insights' }).click();
  await expect(entryOf(page)).toHaveCount(0);
  await page.getByRole('link', { name: 'Integrations' }).click();
  await expect(entryOf(page)).toHaveCount(1);
  await page.goBack();
  await expect(entryOf(page)).toHaveCount(0);
  await page.goForward();
  await expect(entryOf(page)).toHaveCount(1);
  await expect(page.locator('.integrations-list').first()).toBeVisible();
  await expect(entryOf(page)).toHaveCount(1);
  // That none of the later looks (up to 4 s after arrival) adds a second entry is checked with fake
  // timers in test/unit/overlay/integrations.test.ts: here it could only be a wait for nothing.
});

test('placement: found by content at any project address, once, beside the partners', async ({ context }) => {
  const page = await context.newPage();
  // 2026 Destinations where the address names nothing (two shadow roots deep, rendered late).
  await page.goto(`https://mixpanel.com/project/${US}/view/1/app/settings?page=destinations#project/${US}`);
  await expect(entryOf(page)).toHaveCount(1);
  const available = page.getByRole('list', { name: 'Available destinations' });
  const names = () =>
    available.locator(':scope > li').evaluateAll((items) =>
      items.map((item) =>
        item.hasAttribute('data-cohort-sync') ? 'ours' : (item.querySelector('mp-destination-tile')?.getAttribute('name') ?? ''),
      ),
    );
  await expect.poll(names).toEqual(['Airship', 'CleverTap', 'ours', 'Customer.io', 'OneSignal']);

  // 2024 Integrations without Mixpanel's own CleverTap: in alphabetical order.
  await page.goto(`https://mixpanel.com/project/${US}/view/1/app/integrations?native=0`);
  await expect(entryOf(page)).toHaveCount(1);
  const rows = page.locator('.integrations-list').first().locator(':scope > div');
  await expect(rows.nth(1).locator('.integration-name')).toHaveText('Braze');
  await expect(rows.nth(2)).toHaveAttribute('data-cohort-sync', 'integration');
  await expect(rows.nth(3).locator('.integration-name')).toHaveText('Customer.io');
  // The data pipelines below are not partners of cohort sync: nothing there.
  await expect(page.locator('.integrations-list').nth(1).locator('[data-cohort-sync]')).toHaveCount(0);
});
