/**
 * `npm run demo`: Cohort Sync working end to end on one machine, no accounts needed.
 *
 * Builds the extension (its own copy, .output/chrome-mv3-demo), starts the Mixpanel and CleverTap
 * emulators on seeded demo data, and opens Chromium with the extension loaded, every production
 * host mapped onto the emulators. Headed where a display exists: the cohorts page, the options page
 * (already connected) and CleverTap's segment page are open, membership changes every minute, and
 * Ctrl-C stops everything. Headless (`--headless`, or no display): runs the journey of
 * scripts/demo/journey.ts by itself, prints what happened and saves screenshots.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext } from '@playwright/test';
import { createDemoWorld, DEMO_COHORTS, type ChurnResult } from '../../test/emulators/demo';
import { startHub, type Hub } from '../../test/emulators/hub';
import { DEMO_EXTENSION_PATH, ROOT, launchDemoChromium } from './browser';
import { Journey } from './journey';

const USAGE = `Usage: npm run demo [-- options]

  --headless             run the whole journey without a window, print a report, save screenshots
                         (the default when there is no display)
  --period-minutes <n>   build the demo's extension with dynamic syncs every <n> minutes instead of 15
                         (e.g. 1, to watch a dynamic sync follow the cohort within minutes)
  --churn-seconds <n>    headed: seconds between membership changes (default 60)
  --skip-build           use the last demo build in .output/chrome-mv3-demo
  --update-docs          headless: also copy the README's screenshots into docs/
  --help                 this text`;

const SHOTS_DIR = join(ROOT, 'artifacts/demo');
const DOCS_SHOTS = ['menu.png', 'dialog.png', 'popup.png'];

interface Args {
  headless: boolean;
  periodMinutes?: number;
  churnSeconds: number;
  skipBuild: boolean;
  updateDocs: boolean;
}

function readArgs(): Args {
  const { values } = parseArgs({
    options: {
      headless: { type: 'boolean', default: false },
      'period-minutes': { type: 'string' },
      'churn-seconds': { type: 'string', default: '60' },
      'skip-build': { type: 'boolean', default: false },
      'update-docs': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const positive = (raw: string | undefined, name: string) => {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
    return value;
  };
  const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!values.headless && !hasDisplay) console.log('No display (DISPLAY is not set): running the journey headless.\n');
  return {
    headless: values.headless || !hasDisplay,
    periodMinutes: positive(values['period-minutes'], '--period-minutes'),
    churnSeconds: positive(values['churn-seconds'], '--churn-seconds') ?? 60,
    skipBuild: values['skip-build'],
    updateDocs: values['update-docs'],
  };
}

// ── Everything the demo starts, and how to stop it ─────────────────────────────

const running: {
  build?: ChildProcess;
  hub?: Hub;
  context?: BrowserContext;
  journey?: Journey;
  stopChurn?: () => void;
  userDataDir?: string;
} = {};
let stopping: Promise<void> | undefined;

function stopEverything(): Promise<void> {
  stopping ??= (async () => {
    running.stopChurn?.();
    if (running.build?.pid && running.build.exitCode === null) {
      try {
        process.kill(-running.build.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await Promise.race([
      (async () => {
        await running.journey?.close();
        await running.context?.close().catch(() => {});
      })(),
      new Promise((resolve) => setTimeout(resolve, 10_000)),
    ]);
    await running.hub?.close();
    if (running.userDataDir) rmSync(running.userDataDir, { recursive: true, force: true });
  })();
  return stopping;
}

async function exit(code: number): Promise<never> {
  await stopEverything();
  process.exit(code);
}

let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130); // a second Ctrl-C: do not wait for a clean stop
    console.log('\nStopping the demo: closing Chromium and the emulators…');
    void exit(130);
  });
}

// ── Steps ──────────────────────────────────────────────────────────────────────

function build(periodMinutes: number | undefined): Promise<void> {
  const env = { ...process.env };
  delete env.WXT_DEMO_PERIOD_MINUTES;
  if (periodMinutes !== undefined) env.WXT_DEMO_PERIOD_MINUTES = String(periodMinutes);
  console.log(`Building the extension into ${relative(ROOT, DEMO_EXTENSION_PATH)} (dynamic syncs every ${periodMinutes ?? 15} min)…`);
  return new Promise((resolve, reject) => {
    // Its own process group, so that stopping the demo stops the build and everything it spawned.
    const child = spawn('npx', ['wxt', 'build', '--mode', 'demo'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.build = child;
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      running.build = undefined;
      if (code === 0) resolve();
      else reject(new Error(`wxt build failed (${signal ?? `exit code ${code}`}):\n${output.trim().split('\n').slice(-20).join('\n')}`));
    });
  });
}

const seconds = (ms: number) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

async function runHeadless(args: Args, journey: Journey): Promise<number> {
  const started = Date.now();
  console.log(`\nThe journey, in headless Chromium (${args.periodMinutes ? `waiting for each alarm's ${args.periodMinutes}-minute period` : "firing the sync's alarm instead of waiting 15 minutes"}):\n`);
  await journey.start();
  let passed = 0;
  for (const step of journey.steps) {
    const stepStarted = Date.now();
    try {
      const line = await step.run();
      passed += 1;
      console.log(`✓ ${step.title} (${seconds(Date.now() - stepStarted)})\n    ${line}`);
    } catch (error) {
      if (stopping) return 130;
      console.log(`✗ ${step.title} (${seconds(Date.now() - stepStarted)})\n    ${(error instanceof Error ? error.message : String(error)).split('\n').slice(0, 12).join('\n    ')}`);
      break;
    }
  }
  const total = journey.steps.length;
  console.log(`\n${passed === total ? 'All' : `${passed} of`} ${total} steps passed in ${seconds(Date.now() - started)}. Screenshots: ${relative(ROOT, SHOTS_DIR)}/`);
  if (passed === total && args.updateDocs) {
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    for (const file of DOCS_SHOTS) copyFileSync(join(SHOTS_DIR, file), join(ROOT, 'docs', file));
    console.log(`README screenshots updated: ${DOCS_SHOTS.map((file) => `docs/${file}`).join(', ')}`);
  }
  return passed === total ? 0 : 1;
}

function describeChurn(results: ChurnResult[]): string {
  const names = new Map<number, string>(Object.values(DEMO_COHORTS).map((cohort) => [cohort.id, cohort.name]));
  return results.map((result) => `${names.get(result.cohortId)} +${result.joined.size} −${result.left.size}`).join(', ');
}

async function runHeaded(args: Args, journey: Journey, world: ReturnType<typeof createDemoWorld>): Promise<void> {
  await journey.start();
  await journey.showcase();
  const { clevertap, mixpanel } = world.credentials;
  const period = args.periodMinutes ?? 15;
  console.log(`
Cohort Sync demo is running in Chromium.

  Mixpanel (emulated)   ${world.cohortsPageUrl}
  CleverTap segments    ${world.cleverTapPageUrl.replace(/\?.*$/, '')}   (the tab refreshes itself)
  Cohorts               ${Object.values(DEMO_COHORTS).map((cohort) => `${cohort.name} (${cohort.members.toLocaleString('en-US')})`).join(', ')}

  Try it: on the cohorts page open a cohort's "…" menu → Export to… → CleverTap (Cohort Sync), choose One-time or
  Dynamic sync, Start Sync. The toolbar popup (puzzle icon → Cohort Sync) shows the run; the CleverTap
  tab shows the segment land. Dynamic syncs run every ${period} min${args.periodMinutes ? '' : ' (shorten it with --period-minutes 1)'};
  every ${args.churnSeconds} s a few users join and leave each cohort.

  Already connected on the options page. To connect again by hand:
    CleverTap  Project ID ${clevertap.accountId}, Passcode ${clevertap.passcode}, Region Europe
    Mixpanel   service account ${mixpanel.username}, secret ${mixpanel.secret}, Project ID ${mixpanel.projectId}, data residency US

Press Ctrl-C to stop everything.
`);
  running.stopChurn = world.startChurn(args.churnSeconds * 1000, (results) => {
    console.log(`${new Date().toLocaleTimeString()}  membership changed: ${describeChurn(results)}`);
  });
}

async function main(): Promise<void> {
  const args = readArgs();
  if (!args.skipBuild) await build(args.periodMinutes);
  if (stopping) return;

  const world = createDemoWorld();
  running.hub = await startHub(world.emulators);
  running.userDataDir = mkdtempSync(join(tmpdir(), 'cohort-sync-demo-'));
  const hub = running.hub;
  const userDataDir = running.userDataDir;
  console.log(`Emulators of Mixpanel and CleverTap listening on https://127.0.0.1:${hub.httpsPort}; Chromium maps the production hosts there.`);

  const journey = new Journey({
    world,
    launch: async () => (running.context = await launchDemoChromium({ userDataDir, resolverRules: hub.resolverRules, headless: args.headless })),
    alarm: args.periodMinutes ? 'wait' : 'fire',
    periodMinutes: args.periodMinutes ?? 15,
    cohorts: { oneTime: 'power', dynamic: 'vip', stopped: 'active' },
    shots: args.headless ? SHOTS_DIR : undefined,
    headed: !args.headless,
  });
  running.journey = journey;

  if (args.headless) {
    const code = await runHeadless(args, journey);
    await exit(code);
  } else {
    await runHeaded(args, journey, world);
    // Closing the browser window ends the demo too.
    running.context?.on('close', () => {
      if (!stopping) {
        console.log('Chromium was closed: stopping the demo.');
        void exit(0);
      }
    });
  }
}

main().catch(async (error: unknown) => {
  if (!stopping) console.error(error instanceof Error ? error.message : error);
  await exit(stopping ? 130 : 1);
});
