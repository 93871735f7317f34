/**
 * The options page in real Chromium against the emulators: connecting CleverTap and Mixpanel
 * (success and each failure), disconnecting, sync settings with their validation, every sync with
 * its actions, and the history with its CSV download. Screenshots go to artifacts/screenshots/.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { createCleverTapEmulator, DEFAULT_EMULATOR_ACCOUNT } from '../emulators/clevertap';
import { createMixpanelEmulator, FIXTURE } from '../emulators/mixpanel';
import type { StateView as AppState, SyncView as Sync } from '../../lib/messages';
import { DEFAULT_SETTINGS } from '../../lib/storage/schema';
import { connectAccounts, expect, sendFromExtensionPage, test, writeViewState } from './fixtures';

const SHOTS = 'artifacts/screenshots';
const mixpanel = createMixpanelEmulator();
const clevertap = createCleverTapEmulator();

// eslint-disable-next-line no-empty-pattern
test.use({ emulators: async ({}, use) => use([mixpanel, clevertap]) });

async function openOptions(page: Page, extensionId: string, query = '') {
  await page.setViewportSize({ width: 1180, height: 900 });
  await page.goto(`chrome-extension://${extensionId}/options.html${query}`);
  await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
}

const cleverTapSection = (page: Page) => page.getByRole('region', { name: 'CleverTap' });
const mixpanelSection = (page: Page) => page.getByRole('region', { name: 'Mixpanel' });

async function fillCleverTap(page: Page, input: { accountId: string; passcode: string; region: string }) {
  const section = cleverTapSection(page);
  await section.getByLabel('Project ID').fill(input.accountId);
  await section.getByLabel('Passcode', { exact: true }).fill(input.passcode);
  await section.getByLabel('Region').selectOption({ label: input.region });
  await section.getByRole('button', { name: 'Connect' }).click();
}

async function fillMixpanel(page: Page, input: { username: string; secret: string; projectId: number; residency?: string }) {
  const section = mixpanelSection(page);
  await section.getByLabel('Service account username').fill(input.username);
  await section.getByLabel('Service account secret', { exact: true }).fill(input.secret);
  await section.getByLabel('Project ID').fill(String(input.projectId));
  if (input.residency) await section.getByLabel('Data residency').selectOption({ label: input.residency });
  await section.getByRole('button', { name: 'Connect' }).click();
}

test.describe('connections', () => {
  test('CleverTap connects with the right Project ID, Passcode and Region', async ({ context, extensionId }) => {
    const page = await context.newPage();
    await openOptions(page, extensionId);
    const section = cleverTapSection(page);
    await expect(section.getByText('“App ID” in Mixpanel’s help')).toBeVisible();
    await expect(section.getByText('“API Key” in Mixpanel’s help')).toBeVisible();
    await expect(section.getByLabel('Region')).toHaveValue('eu1');
    const passcode = section.getByLabel('Passcode', { exact: true });
    await expect(passcode).toHaveAttribute('type', 'password');
    await passcode.fill('visible for a moment');
    await section.getByRole('button', { name: 'Show Passcode' }).click();
    await expect(passcode).toHaveAttribute('type', 'text');
    await section.getByRole('button', { name: 'Hide Passcode' }).click();
    await expect(passcode).toHaveAttribute('type', 'password');
    await page.screenshot({ path: `${SHOTS}/options-empty.png`, fullPage: true });

    await fillCleverTap(page, { ...DEFAULT_EMULATOR_ACCOUNT, region: 'Europe' });
    await expect(section.getByText('Connected', { exact: true })).toBeVisible();
    await expect(section).toContainText(DEFAULT_EMULATOR_ACCOUNT.accountId);
    // The passcode is never echoed back into the page.
    expect(await page.content()).not.toContain(DEFAULT_EMULATOR_ACCOUNT.passcode);
    await section.getByRole('button', { name: 'Change credentials' }).click();
    await expect(section.getByLabel('Passcode', { exact: true })).toHaveValue('');
    await page.screenshot({ path: `${SHOTS}/options-clevertap-connected.png`, fullPage: true });
  });

  test('CleverTap failures say which: credentials, region (and which answered), network', async ({ context, extensionId }) => {
    const page = await context.newPage();
    await openOptions(page, extensionId);
    const section = cleverTapSection(page);

    await fillCleverTap(page, { accountId: DEFAULT_EMULATOR_ACCOUNT.accountId, passcode: 'wrong-passcode', region: 'Europe' });
    await expect(section.getByRole('alert')).toContainText('did not accept this Project ID and Passcode');
    await page.screenshot({ path: `${SHOTS}/options-clevertap-bad-credentials.png`, fullPage: true });

    await fillCleverTap(page, { ...DEFAULT_EMULATOR_ACCOUNT, region: 'India' });
    await expect(section.getByRole('alert')).toContainText('not in the region you chose');
    await expect(section.getByRole('alert')).toContainText('CleverTap answered from Europe');
    await page.screenshot({ path: `${SHOTS}/options-clevertap-wrong-region.png`, fullPage: true });
    await section.getByRole('button', { name: 'Use Europe' }).click();
    await expect(section.getByLabel('Region')).toHaveValue('eu1');

    clevertap.faults.add(/^\/1\/upload$/, { kind: 'reset' }, { times: 50 });
    try {
      await section.getByRole('button', { name: 'Connect' }).click();
      await expect(section.getByRole('alert')).toContainText('Could not reach CleverTap', { timeout: 60_000 });
      await page.screenshot({ path: `${SHOTS}/options-clevertap-network.png`, fullPage: true });
    } finally {
      clevertap.faults.clear();
    }
    await expect(section.getByText('Not connected')).toBeVisible();
  });

  test('Mixpanel connects an Owner; data residency comes from ?region=', async ({ context, extensionId }) => {
    const page = await context.newPage();
    await openOptions(page, extensionId, '?region=eu');
    const section = mixpanelSection(page);
    await expect(section.getByLabel('Data residency')).toHaveValue('eu');
    await expect(section.getByLabel('Service account secret', { exact: true })).toHaveAttribute('type', 'password');
    await fillMixpanel(page, { ...FIXTURE.owner, projectId: FIXTURE.euProject.id });
    await expect(section.getByText('Connected', { exact: true })).toBeVisible();
    await expect(section).toContainText(FIXTURE.euProject.name);
    expect(await page.content()).not.toContain(FIXTURE.owner.secret);
    await page.screenshot({ path: `${SHOTS}/options-mixpanel-connected.png`, fullPage: true });
  });

  test('Mixpanel failures: bad secret, not an admin, no access to the project, network', async ({ context, extensionId }) => {
    const page = await context.newPage();
    await openOptions(page, extensionId);
    const section = mixpanelSection(page);
    await expect(section.getByLabel('Data residency')).toHaveValue('us');

    await fillMixpanel(page, { username: FIXTURE.owner.username, secret: 'not-the-secret', projectId: FIXTURE.usProject.id });
    await expect(section.getByRole('alert')).toContainText('did not accept this service account');

    // The role is known only where Mixpanel reveals it: here the project's service-account list does.
    mixpanel.modes.serviceAccountList = 'members';
    try {
      await fillMixpanel(page, { ...FIXTURE.analyst, projectId: FIXTURE.usProject.id });
      await expect(section.getByRole('alert')).toContainText('not an Admin or Owner');
      await expect(section.getByRole('alert')).toContainText('“Analyst”');
      await expect(section.getByRole('alert')).toContainText('for project admins');
      await page.screenshot({ path: `${SHOTS}/options-mixpanel-not-admin.png`, fullPage: true });
    } finally {
      mixpanel.modes.serviceAccountList = 'admins';
    }

    await fillMixpanel(page, { ...FIXTURE.analyst, projectId: 9_999_999 });
    await expect(section.getByRole('alert')).toContainText('no access to that project');

    mixpanel.faults.add(/^\/api\//, { kind: 'reset' }, { times: 50 });
    try {
      await fillMixpanel(page, { ...FIXTURE.owner, projectId: FIXTURE.usProject.id });
      await expect(section.getByRole('alert')).toContainText('Could not reach Mixpanel', { timeout: 60_000 });
    } finally {
      mixpanel.faults.clear();
    }
    await expect(section.getByText('Not connected')).toBeVisible();
  });

  test('Disconnect removes the connection and pauses syncs', async ({ context, extensionId }) => {
    mixpanel.seedCohort({ projectId: FIXTURE.usProject.id, cohortId: 4001, name: 'Loyal users', members: 50 });
    const page = await context.newPage();
    await openOptions(page, extensionId);
    await connectAccounts(page);
    const started = await sendFromExtensionPage(page, { type: 'sync.start', cohortId: 4001, cohortName: 'Loyal users', syncType: 'dynamic' });
    expect(started).toMatchObject({ ok: true });
    const section = cleverTapSection(page);
    await expect(section.getByText('Connected', { exact: true })).toBeVisible();
    await section.getByRole('button', { name: 'Disconnect' }).click();
    await section.getByRole('button', { name: 'Disconnect CleverTap' }).click();
    await expect(section.getByText('Not connected')).toBeVisible();
    await expect(section.getByLabel('Passcode', { exact: true })).toHaveValue('');
    const row = page.getByRole('region', { name: 'Syncs' }).getByRole('listitem').filter({ hasText: 'Loyal users' });
    await expect(row).toContainText('Paused: CleverTap disconnected', { timeout: 30_000 });
  });
});

test.describe('sync settings', () => {
  test('invalid input says what is wrong next to the field; valid input is saved', async ({ context, extensionId }) => {
    const page = await context.newPage();
    await openOptions(page, extensionId, '#settings');
    const form = page.getByRole('region', { name: 'Sync settings' });
    await form.getByLabel('Removal safety threshold (%)').fill('150');
    await form.getByLabel('Mixpanel queries per hour').fill('100');
    await form.getByLabel('Concurrent queries').fill('two');
    await form.getByLabel('Notification email').fill('not-an-email');
    await form.getByLabel('Send an event when a user enters or leaves a cohort').check();
    await form.getByLabel('Added event').fill('');
    await form.getByRole('button', { name: 'Save settings' }).click();

    await expect(form.getByLabel('Removal safety threshold (%)')).toHaveAccessibleDescription(/Use at most 100 %/);
    await expect(form.getByLabel('Mixpanel queries per hour')).toHaveAccessibleDescription(/Mixpanel allows 60 queries an hour/);
    await expect(form.getByLabel('Concurrent queries')).toHaveAccessibleDescription(/Enter a number/);
    await expect(form.getByLabel('Notification email')).toHaveAccessibleDescription(/Enter an email address/);
    await expect(form.getByLabel('Added event')).toHaveAccessibleDescription(/Give the event a name/);
    await expect(form.getByLabel('Removal safety threshold (%)')).toHaveAttribute('aria-invalid', 'true');
    await form.screenshot({ path: `${SHOTS}/options-settings-invalid.png` });

    await form.getByLabel('Profile property', { exact: true }).check();
    await form.getByLabel('Property name').fill('Cohorts from Mixpanel');
    // Profile property delivery needs no notification email.
    await form.getByLabel('Notification email').fill('');
    await form.getByLabel('Removal safety threshold (%)').fill('25');
    await form.getByLabel('Mixpanel queries per hour').fill('30');
    await form.getByLabel('Concurrent queries').fill('2');
    await form.getByLabel('Added event').fill('Entered cohort');
    await form.getByLabel('Notify me when a sync fails or pauses').uncheck();
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect(form.getByText('Settings saved')).toBeVisible();

    const state = await sendFromExtensionPage<{ ok: boolean; value: AppState }>(page, { type: 'state.get' });
    expect(state.value.settings).toMatchObject({
      deliveryMode: 'property',
      propertyName: 'Cohorts from Mixpanel',
      removalThreshold: 0.25,
      queryBudget: { hourly: 30, concurrent: 2 },
      events: { enabled: true, added: 'Entered cohort' },
      notifyOnFailure: false,
    });
    await page.reload();
    await expect(page.getByRole('region', { name: 'Sync settings' }).getByLabel('Removal safety threshold (%)')).toHaveValue('25');
  });
});

test.describe('syncs and history', () => {
  test('every sync with its state and actions, in light and dark', async ({ context, extensionId, serviceWorker }) => {
    const page = await context.newPage();
    await openOptions(page, extensionId);
    await writeState(serviceWorker, sampleState());
    const syncs = page.getByRole('region', { name: 'Syncs' });
    await expect(syncs.getByRole('listitem')).toHaveCount(4);
    await expect(syncs).toContainText('Running');
    await expect(syncs).toContainText('Paused: Mixpanel answered 403');
    await expect(syncs).toContainText('Needs review');
    await expect(syncs).toContainText('Failed: ');
    await page.screenshot({ path: `${SHOTS}/options-syncs.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS}/options-syncs-dark.png`, fullPage: true });
  });

  test('a finished run shows in History with its counts; its CSV downloads, formula-safe', async ({ context, extensionId }) => {
    const seeded = mixpanel.seedCohort({
      projectId: FIXTURE.usProject.id,
      cohortId: 4002,
      name: 'CSV cohort',
      members: 40,
      withoutProfileShare: 0,
      missingIdShare: 0.1,
      invalidIdShare: 0,
    });
    // A CleverTap identity that a spreadsheet would run as a formula.
    const [firstId] = [...seeded.expected.keys()];
    if (!firstId) throw new Error('seed produced no members');
    mixpanel.state.updateProperties(FIXTURE.usProject.id, firstId, { $CleverTap_user_id: '=HYPERLINK("http://x")' });

    const page = await context.newPage();
    await openOptions(page, extensionId);
    await connectAccounts(page);
    await sendFromExtensionPage(page, { type: 'sync.start', cohortId: 4002, cohortName: 'CSV cohort', syncType: 'one-time' });
    const row = page.getByRole('region', { name: 'Syncs' }).getByRole('listitem').filter({ hasText: 'CSV cohort' });
    await expect(row).toContainText('Synced', { timeout: 60_000 });
    await row.getByRole('button', { name: 'History' }).click();

    const history = page.getByRole('region', { name: 'History' });
    const run = history.getByRole('row').nth(1);
    await expect(run).toContainText('Synced');
    await expect(run).toContainText('36');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/options-history.png`, fullPage: true });

    const downloadPromise = page.waitForEvent('download');
    await run.getByRole('button', { name: /^CSV/ }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    const [header, ...lines] = csv.trim().split(/\r?\n/);
    expect(header?.toLowerCase()).toContain('distinct_id');
    expect(lines.length).toBe(36);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});

const writeState = writeViewState;

function sampleState(): AppState {
  const now = Date.now();
  const project = FIXTURE.usProject.id;
  const base = (cohortId: number, cohortName: string, type: Sync['type'], status: Sync['status']): Sync => ({
    id: `${project}:${cohortId}`,
    projectId: project,
    cohortId,
    cohortName,
    type,
    createdAt: now - cohortId * 60_000,
    status,
    nextRunAt: type === 'dynamic' ? now + 11 * 60_000 : undefined,
    lastRun: {
      runId: `${project}:${cohortId}:r1`,
      syncId: `${project}:${cohortId}`,
      trigger: 'schedule',
      startedAt: now - 20 * 60_000,
      finishedAt: now - 19 * 60_000,
      outcome: 'synced',
      counts: { read: 5200, exported: 5012, skipped: { missingId: 150, invalidId: 30, duplicateId: 8 }, added: 120, removed: 33, rejected: 2 },
      mixpanelQueries: 3,
      clevertapRequests: 9,
    },
  });
  return {
    connections: {
      clevertap: { accountId: DEFAULT_EMULATOR_ACCOUNT.accountId, region: 'eu1', connectedAt: now - 86_400_000 },
      mixpanel: { username: FIXTURE.owner.username, projectId: project, region: 'us', projectName: FIXTURE.usProject.name, workspaceId: 3448413, connectedAt: now - 86_400_000 },
    },
    settings: { ...DEFAULT_SETTINGS, notificationEmail: 'admin@example.com' },
    syncs: [
      base(1, 'Power users', 'dynamic', { state: 'running', phase: 'delivering', done: 2000, total: 5012, etaAt: now + 90_000 }),
      base(2, 'Trial users', 'dynamic', { state: 'paused', reason: 'Mixpanel answered 403: the service account lost access to the project.' }),
      base(3, 'Winback', 'dynamic', { state: 'needs-review', reason: 'This run would remove more than 50 % of the segment.', removals: 3100, segmentSize: 5012 }),
      base(4, 'Newsletter', 'one-time', { state: 'failed', reason: 'CleverTap answered 500 three times; try again later.' }),
    ],
  };
}
