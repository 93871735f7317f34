import { defineConfig } from 'vitest/config';

// The Firefox suite: one Firefox ESR with the built add-on (.output/firefox-mv3), steps in order.
export default defineConfig({
  test: {
    include: ['test/firefox/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Later steps need earlier ones: stop at the first failure instead of reporting its echoes.
    bail: 1,
  },
});
