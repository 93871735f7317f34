/** What the Integrations / Destinations page specs share: our entry, its Connect frame, a connected Mixpanel. */
import type { Locator, Page } from '@playwright/test';
import { FIXTURE } from '../emulators/mixpanel';
import { DEFAULT_SETTINGS } from '../../lib/storage/schema';
import { expect, sendFromExtensionPage } from './fixtures';

export const ENTRY = 'CleverTap, from the Cohort Sync extension';

/** Our entry: a `div` row among the 2024 page's rows, a list item on the 2026 page. */
export const entryOf = (page: Page) => page.locator(`[data-cohort-sync="integration"][aria-label="${ENTRY}"]`);
/** The "Connected" tag (its ✓ is decoration, hidden from assistive technology). */
export const connectedTag = (entry: Locator) => entry.getByText(/^✓\s*Connected$/);
/** The framed Connect CleverTap pages open in the tab. */
export const connectFrames = (page: Page) =>
  page.frames().map((frame) => frame.url()).filter((url) => url.endsWith('/connect-frame.html'));

/** Connects the fixture's owner account from an extension page and sets the notification e-mail. */
export async function connectMixpanel(extension: Page, projectId: number = FIXTURE.usProject.id, region: 'us' | 'eu' = 'us') {
  const mp = await sendFromExtensionPage(extension, {
    type: 'mixpanel.connect',
    username: FIXTURE.owner.username,
    secret: FIXTURE.owner.secret,
    projectId,
    region,
  });
  expect(mp).toMatchObject({ ok: true, value: { connected: true } });
  const saved = await sendFromExtensionPage(extension, {
    type: 'settings.save',
    settings: { ...DEFAULT_SETTINGS, notificationEmail: 'admin@example.com' },
  });
  expect(saved).toMatchObject({ ok: true });
}
