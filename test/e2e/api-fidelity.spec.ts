/**
 * The first real sync, in Chromium against emulators in their pessimistic modes (their answers where
 * the real APIs are undocumented, see CleverTapModes and MixpanelModes):
 * /me variants on the options page, the South Korea region and its wrong-region hint, the Admin-only
 * custom-list e-mail, and a dynamic sync that uploads no list when nothing changed.
 */
import type { Page } from '@playwright/test';
import { createCleverTapEmulator, DEFAULT_EMULATOR_ACCOUNT } from '../emulators/clevertap';
import { createMixpanelEmulator, FIXTURE, seedCohort } from '../emulators/mixpanel';
import { syncIdFor } from '../../lib/storage/schema';
import { connectAccounts, expect, sendFromExtensionPage, test } from './fixtures';

const mixpanel = createMixpanelEmulator();
const korea = { accountId: 'TEST-SK1-0003', passcode: 'korea-passcode-0003', region: 'sk1' as const };
const clevertap = createCleverTapEmulator({ accounts: [DEFAULT_EMULATOR_ACCOUNT, korea] });

// eslint-disable-next-line no-empty-pattern
test.use({ emulators: async ({}, use) => use([mixpanel, clevertap]) });

test.beforeEach(() => {
  Object.assign(mixpanel.modes, { meProjectRole: 'absent', meOrganizationRole: 'string', serviceAccountList: 'admins' });
  clevertap.modes.dashboardAdmins = undefined;
  clevertap.reset();
});

async function openOptions(page: Page, extensionId: string) {
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
}

async function connectMixpanelForm(page: Page, account: { username: string; secret: string }) {
  const section = page.getByRole('region', { name: 'Mixpanel' });
  await section.getByLabel('Service account username').fill(account.username);
  await section.getByLabel('Service account secret', { exact: true }).fill(account.secret);
  await section.getByLabel('Project ID').fill(String(FIXTURE.usProject.id));
  await section.getByRole('button', { name: 'Connect' }).click();
  return section;
}

test('a project Admin connects whatever shape /me gives the role; a known lower role is refused by name', async ({ context, extensionId }) => {
  const page = await context.newPage();
  await openOptions(page, extensionId);

  mixpanel.modes.meProjectRole = 'object';
  mixpanel.modes.serviceAccountList = 'absent';
  let section = await connectMixpanelForm(page, FIXTURE.analyst);
  await expect(section.getByRole('alert')).toContainText('“Analyst”');

  section = await connectMixpanelForm(page, FIXTURE.projectAdmin);
  await expect(section.getByText('Connected', { exact: true })).toBeVisible();
  await expect(section.getByText('The Admin role could not be confirmed.')).toHaveCount(0);

  await section.getByRole('button', { name: 'Disconnect', exact: true }).click();
  await section.getByRole('button', { name: 'Disconnect Mixpanel' }).click();
  await expect(section.getByText('Not connected')).toBeVisible();
  mixpanel.modes.meProjectRole = 'absent';
  mixpanel.modes.meOrganizationRole = 'absent';
  section = await connectMixpanelForm(page, FIXTURE.projectAdmin);
  await expect(section.getByText('Connected', { exact: true })).toBeVisible();
  await expect(section.getByText('The Admin role could not be confirmed.')).toBeVisible();
});

test('South Korea is offered, connects, and the wrong-region hint names it', async ({ context, extensionId }) => {
  const page = await context.newPage();
  await openOptions(page, extensionId);
  const section = page.getByRole('region', { name: 'CleverTap' });
  await section.getByLabel('Project ID').fill(korea.accountId);
  await section.getByLabel('Passcode', { exact: true }).fill(korea.passcode);
  await section.getByLabel('Region').selectOption({ label: 'Europe' });
  await section.getByRole('button', { name: 'Connect' }).click();
  await expect(section.getByRole('alert')).toContainText('CleverTap answered from South Korea');
  await section.getByRole('button', { name: 'Use South Korea' }).click();
  await expect(section.getByLabel('Region')).toHaveValue('sk1');
  await section.getByRole('button', { name: 'Connect' }).click();
  await expect(section.getByText('Connected', { exact: true })).toBeVisible();
  await expect(section).toContainText('South Korea');
});

test('the custom-list e-mail must be a CleverTap Admin: the field says so and a refusal pauses with that reason', async ({ context, extensionId, extensionPage }) => {
  clevertap.modes.dashboardAdmins = ['owner@example.com'];
  await connectAccounts(extensionPage, { notificationEmail: 'team@example.com' });
  seedCohort(mixpanel.state, { projectId: FIXTURE.usProject.id, cohortId: 4101, name: 'Admins only', members: 30 });
  await sendFromExtensionPage(extensionPage, { type: 'sync.start', cohortId: 4101, cohortName: 'Admins only', syncType: 'one-time' });

  const page = await context.newPage();
  await openOptions(page, extensionId);
  await expect(page.getByLabel('Notification email of a CleverTap Admin')).toHaveAccessibleDescription(/dashboard user with the Admin role/);
  await expect(page.getByText(/team@example\.com\) to belong to a CleverTap dashboard user with the Admin role/)).toBeVisible({ timeout: 30_000 });
  expect(clevertap.segment('Mixpanel: Admins only')).toBeUndefined();
});

test('a dynamic sync whose membership did not change uploads no custom list', async ({ context, extensionId, extensionPage }) => {
  await connectAccounts(extensionPage);
  seedCohort(mixpanel.state, { projectId: FIXTURE.usProject.id, cohortId: 4102, name: 'Steady', members: 60 });
  const id = syncIdFor(FIXTURE.usProject.id, 4102);
  await sendFromExtensionPage(extensionPage, { type: 'sync.start', cohortId: 4102, cohortName: 'Steady', syncType: 'dynamic' });
  const lastRun = async () =>
    (await sendFromExtensionPage<{ value: { syncs: { id: string; lastRun?: { runId: string; segment?: string } }[] } }>(extensionPage, { type: 'state.get' }))
      .value.syncs.find((sync) => sync.id === id)?.lastRun;
  await expect.poll(async () => (await lastRun())?.segment, { timeout: 30_000 }).toBe('replaced');
  const first = (await lastRun())!.runId;
  expect(clevertap.stats().requests['/get_custom_list_segment_url']).toBe(1);

  await sendFromExtensionPage(extensionPage, { type: 'sync.now', syncId: id });
  await expect.poll(async () => (await lastRun())?.runId, { timeout: 30_000 }).not.toBe(first);
  expect((await lastRun())?.segment).toBe('unchanged');
  expect(clevertap.stats().requests['/get_custom_list_segment_url']).toBe(1);

  // The options page names the segment, and the history says the run left it unchanged.
  const page = await context.newPage();
  await openOptions(page, extensionId);
  const row = page.locator(`[data-sync-id="${id}"]`);
  await expect(row).toContainText('CleverTap segment: “Mixpanel: Steady”');
  await row.getByRole('button', { name: 'History' }).click();
  await expect(page.getByRole('region', { name: 'History' })).toContainText('Segment unchanged');
});

test('a read cut short by an expired session answering 200 [] removes nobody, and a clean read lands', async ({ extensionPage }) => {
  mixpanel.limits.maxPageSize = 100;
  mixpanel.modes.expiredSession = 'empty-page';
  try {
    await connectAccounts(extensionPage);
    const seeded = seedCohort(mixpanel.state, { projectId: FIXTURE.usProject.id, cohortId: 4103, name: 'Cut short', members: 400 });
    const id = syncIdFor(FIXTURE.usProject.id, 4103);
    const expected = [...seeded.expected.values()].sort();
    const members = () => [...(clevertap.segment('Mixpanel: Cut short')?.members ?? [])].sort();
    const status = async () =>
      (await sendFromExtensionPage<{ value: { syncs: { id: string; status: { state: string; reason?: string } }[] } }>(extensionPage, { type: 'state.get' }))
        .value.syncs.find((sync) => sync.id === id)?.status;
    // The first read's second page finds its session gone: the run reads again and lands exactly.
    mixpanel.faults.add('/api/query/engage', { kind: 'hook', run: () => mixpanel.expireSessions() }, { skip: 1 });
    await sendFromExtensionPage(extensionPage, { type: 'sync.start', cohortId: 4103, cohortName: 'Cut short', syncType: 'dynamic' });
    await expect.poll(async () => (await status())?.state, { timeout: 60_000 }).toBe('synced');
    expect(members()).toEqual(expected);

    // Every later read is cut short: the run fails for a retry and the segment keeps everyone.
    mixpanel.faults.add('/api/query/engage', { kind: 'hook', run: () => mixpanel.expireSessions() }, { skip: 1, times: 10_000 });
    await sendFromExtensionPage(extensionPage, { type: 'sync.now', syncId: id });
    await expect.poll(async () => (await status())?.state, { timeout: 60_000 }).toBe('failed');
    expect((await status())?.reason).toContain('nobody was removed');
    expect(members()).toEqual(expected);
  } finally {
    mixpanel.faults.clear();
    mixpanel.limits.maxPageSize = 1000;
    mixpanel.modes.expiredSession = 'error';
  }
});

test('under profile ingestion lag, a new user of a one-time export ends in the segment', async ({ extensionPage }) => {
  clevertap.modes.profileIngestionLagMs = 2500;
  clevertap.modes.profileDataRequired = true;
  try {
    await connectAccounts(extensionPage);
    mixpanel.state.addCohort(FIXTURE.usProject.id, { id: 4104, name: 'Brand new' });
    mixpanel.state.setProfile(FIXTURE.usProject.id, 'bn-1', { $CleverTap_user_id: 'brand-new-1', $email: 'bn1@example.com' });
    mixpanel.state.setProfile(FIXTURE.usProject.id, 'bn-2', { $CleverTap_user_id: 'brand-new-2' });
    mixpanel.state.addMembers(FIXTURE.usProject.id, 4104, ['bn-1', 'bn-2']);
    await sendFromExtensionPage(extensionPage, { type: 'sync.start', cohortId: 4104, cohortName: 'Brand new', syncType: 'one-time' });
    await expect
      .poll(() => [...(clevertap.segment('Mixpanel: Brand new')?.members ?? [])].sort(), { timeout: 60_000 })
      .toEqual(['brand-new-1', 'brand-new-2']);
    expect(clevertap.stats().requests['/1/profile.json']).toBeGreaterThan(2);
  } finally {
    clevertap.modes.profileIngestionLagMs = 0;
    clevertap.modes.profileDataRequired = false;
  }
});
