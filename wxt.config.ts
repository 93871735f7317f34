import { defineConfig } from 'wxt';
import { HOST_PERMISSIONS, MIXPANEL_HOSTS } from './lib/permissions';

const FRAME_ANCESTORS = MIXPANEL_HOSTS.map((host) => `https://${host}`).join(' ');

export default defineConfig({
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  imports: false,
  manifest: {
    name: 'Cohort Sync for Mixpanel → CleverTap',
    description:
      'Export Mixpanel cohorts to CleverTap segments, once or every 15 minutes, from the cohort’s own “…” menu.',
    permissions: ['storage', 'alarms', 'notifications', 'unlimitedStorage'],
    host_permissions: [...HOST_PERMISSIONS],
    // The in-page export dialog is loaded on first use, so the script every Mixpanel page carries stays
    // small; the Connect CleverTap page is framed into Mixpanel's Integrations page. Both only under a
    // per-session URL, so a page cannot probe a fixed address to detect the extension.
    web_accessible_resources: [
      {
        resources: ['export-dialog.js', 'connect-frame.html'],
        matches: MIXPANEL_HOSTS.map((host) => `https://${host}/*`),
        use_dynamic_url: true,
      },
    ],
    // No remote code, no eval, no plugins: only the package's own scripts run on our pages, and only
    // Mixpanel's pages may frame one (the Connect page; the others are not web-accessible at all).
    content_security_policy: {
      extension_pages: `script-src 'self'; object-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ${FRAME_ANCESTORS}`,
    },
    minimum_chrome_version: '120',
    browser_specific_settings: {
      gecko: {
        id: 'cohort-sync@cohortsync.dev',
        strict_min_version: '128.0',
        // Mixpanel profiles (ids, email, phone, name) go to the user's own CleverTap account.
        data_collection_permissions: { required: ['personallyIdentifyingInfo'] },
      },
    },
  },
});
