/** `npm run reliability`: the long browser runs (random worker stops, relaunches, many syncs). */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '../../test/e2e',
  testMatch: ['reliability*.spec.ts', 'faults*.spec.ts', 'hardening*.spec.ts'],
  workers: 2,
  fullyParallel: true,
  timeout: 900_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list']],
  outputDir: '../../test-results/reliability',
});
