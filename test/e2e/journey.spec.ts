/**
 * The whole user journey (the six steps of the README's "The journey, tested end to end"), in
 * Chromium with the built extension (.output/chrome-mv3, so the product's 15-minute period) against
 * the demo's world: connect on the options page, a
 * one-time export from the cohort's "…" menu, a dynamic sync that follows membership changes when
 * its alarm fires, a service worker stopped mid-run, a browser restart on the same profile, and a
 * passcode CleverTap stops accepting. `npm run demo -- --headless` runs the same steps
 * (scripts/demo/journey.ts). Screenshots go to artifacts/screenshots/journey/.
 */
import { createDemoWorld, type DemoWorld } from '../emulators/demo';
import { Journey } from '../../scripts/demo/journey';
import { launchWithExtension, test as base } from './fixtures';

const test = base.extend<{ world: DemoWorld }>({
  // eslint-disable-next-line no-empty-pattern
  world: async ({}, use) => use(createDemoWorld()),
  emulators: async ({ world }, use) => use(world.emulators),
});

test('connect, export once, sync dynamically, survive a stopped worker and a restart, recover from a rejected passcode', async ({
  world,
  hub,
  userDataDir,
}) => {
  test.setTimeout(6 * 60_000);
  const journey = new Journey({
    world,
    launch: () => launchWithExtension(userDataDir, hub.resolverRules),
    alarm: 'fire',
    // The product's period: step 5 checks that the restored alarm repeats every 15 minutes.
    periodMinutes: 15,
    cohorts: { oneTime: 'power', dynamic: 'vip', stopped: 'churn' },
    shots: 'artifacts/screenshots/journey',
  });
  try {
    await journey.start();
    for (const step of journey.steps) {
      const line = await test.step(step.title, step.run);
      test.info().annotations.push({ type: step.title, description: line });
    }
  } finally {
    await journey.close();
  }
});
