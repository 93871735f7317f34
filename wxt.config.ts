import { defineConfig } from 'wxt';
import { HOST_PERMISSIONS } from './lib/permissions';

export default defineConfig({
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  imports: false,
  manifest: {
    name: 'Cohort Sync for Mixpanel → CleverTap',
    description:
      'Export Mixpanel cohorts to CleverTap segments, once or every 15 minutes, from the cohort’s own “…” menu.',
    permissions: ['storage', 'alarms', 'notifications', 'unlimitedStorage'],
    host_permissions: [...HOST_PERMISSIONS],
    minimum_chrome_version: '120',
    browser_specific_settings: {
      gecko: { id: 'cohort-sync@cohortsync.dev', strict_min_version: '128.0' },
    },
  },
});
