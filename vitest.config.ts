import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}'],
    // The simulated hours of many syncs run in npm run reliability only.
    exclude: process.env.RELIABILITY === '1' ? [] : ['test/unit/hardening/many-syncs.test.ts'],
    environment: 'node',
    restoreMocks: true,
    testTimeout: 30_000,
  },
});
