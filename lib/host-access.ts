/**
 * Whether the browser lets the extension reach the hosts it was built for. Chrome grants
 * host_permissions at install; Firefox (MV3) lets the user withdraw them, per site, in
 * about:addons, and then the menu item cannot appear on Mixpanel and API calls fail as if the
 * network were down. The background refuses to run or connect without them and says why; the
 * options page asks for them back (a permission request needs the user's click).
 */
import browser from 'webextension-polyfill';
import { HOST_PERMISSIONS } from './permissions';

/** The manifest's host patterns the browser does not grant now. */
export async function missingHostAccess(): Promise<string[]> {
  const granted = await Promise.all(HOST_PERMISSIONS.map((origin) => browser.permissions.contains({ origins: [origin] })));
  return HOST_PERMISSIONS.filter((_origin, index) => !granted[index]);
}

export { hostAccessMessage, hostOf } from './host-access-text';

/** Asks the browser for the missing hosts; call from a click. True when all are granted after. */
export async function requestHostAccess(missing: readonly string[]): Promise<boolean> {
  if (missing.length === 0) return true;
  await browser.permissions.request({ origins: [...missing] });
  return (await missingHostAccess()).length === 0;
}
