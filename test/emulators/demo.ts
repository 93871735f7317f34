/**
 * The demo's world, shared by `npm run demo` and the journey test: the emulators' fixture
 * accounts, one Mixpanel project with five cohorts from 20 to 50,000 members (some without
 * `$CleverTap_user_id`, some with an invalid one, some without a profile at all), a Lexicon page
 * that lists exactly these cohorts, membership that changes on demand or every minute, and a
 * CleverTap page that refreshes itself so the user sees each sync land.
 *
 * The world keeps its own record of who should end up in CleverTap (`expected`): the seed and the
 * churn know which ids they wrote, so the oracle never asks the product's own rules.
 */
import type { ServerResponse } from 'node:http';
import { serveMixpanelFixtures } from '../fixtures/mixpanel';
import type { FixtureCohort } from '../fixtures/mixpanel/cohorts';
import { DEFAULT_EMULATOR_ACCOUNT, type EmulatedAccount } from './clevertap';
import { renderStatePage } from './clevertap/html';
import type { Emulator, EmulatorRequest } from './hub';
import { createEmulators, EMULATOR_CREDENTIALS, type EmulatorSet } from './index';
import { CLEVERTAP_ID, FIXTURE, prng } from './mixpanel';

export const DEMO_PROJECT = FIXTURE.usProject;
/** The project's global data view, as it appears in Mixpanel's own addresses. */
const DEMO_VIEW = 3448413;

export interface DemoCohort {
  id: number;
  name: string;
  members: number;
  description: string;
}

export const DEMO_COHORTS = {
  vip: { id: 7001, name: 'VIP customers', members: 20, description: 'Spent over $1,000 in the last 90 days' },
  trial: { id: 7002, name: 'Trial ending this week', members: 300, description: 'Trial started 11 to 14 days ago' },
  power: { id: 7003, name: 'Power users', members: 2_500, description: 'Used the app 5 of the last 7 days' },
  churn: { id: 7004, name: 'Churn risk', members: 12_000, description: 'No session in 14 days' },
  active: { id: 7005, name: 'All active users', members: 50_000, description: 'Any event in the last 30 days' },
} as const satisfies Record<string, DemoCohort>;

export type DemoCohortKey = keyof typeof DEMO_COHORTS;

/** Latency of a real API, so a human (and the popup) can watch a run progress. */
export const DEMO_LATENCY_MS = { engage: 300, upload: 80 } as const;

export interface ChurnResult {
  cohortId: number;
  /** distinct_id → the `$CleverTap_user_id` it carries, or undefined when it has none. */
  joined: Map<string, string | undefined>;
  /** distinct_ids that left, with the CleverTap id that leaves the segment (undefined: was never in it). */
  left: Map<string, string | undefined>;
}

export interface DemoWorld {
  apis: EmulatorSet;
  /** What the hub serves: Mixpanel with the demo's pages, and CleverTap with a self-refreshing page. */
  emulators: Emulator[];
  /** The CleverTap account, whose passcode `rotatePasscode` changes. */
  account: EmulatedAccount;
  credentials: {
    clevertap: { accountId: string; passcode: string; region: EmulatedAccount['region'] };
    mixpanel: typeof EMULATOR_CREDENTIALS.mixpanel;
  };
  cohortsPageUrl: string;
  cleverTapPageUrl: string;
  /** The CleverTap ids a correct sync of the cohort holds right now. */
  expected(cohortId: number): Set<string>;
  /** Cohort members now (with or without a profile). */
  memberCount(cohortId: number): number;
  /** A few users join and a few leave; every fourth joiner has no `$CleverTap_user_id`. */
  churn(cohortId: number, change?: { join?: number; leave?: number }): ChurnResult;
  /** Churns every cohort every `intervalMs` until the returned function is called. */
  startChurn(intervalMs: number, onTick?: (results: ChurnResult[]) => void): () => void;
  /** As if someone regenerated the Passcode in CleverTap's dashboard: the old one gets 401. */
  rotatePasscode(passcode: string): void;
}

export function createDemoWorld(options: { latency?: boolean } = {}): DemoWorld {
  const account: EmulatedAccount = { ...DEFAULT_EMULATOR_ACCOUNT };
  const apis = createEmulators({ clevertap: { accounts: [account] }, mixpanel: { pages: demoPages } });
  const { mixpanel } = apis;
  const projectId = DEMO_PROJECT.id;
  // Only the demo's cohorts: the fixture's two empty ones would only clutter the lists.
  for (const cohort of mixpanel.state.cohorts(projectId)) mixpanel.state.removeCohort(projectId, cohort.id);

  const expected = new Map<number, Map<string, string>>();
  for (const cohort of Object.values(DEMO_COHORTS)) {
    const seeded = mixpanel.seedCohort({ projectId, cohortId: cohort.id, name: cohort.name, members: cohort.members });
    const stored = mixpanel.state.cohort(projectId, cohort.id);
    if (stored) stored.description = cohort.description;
    expected.set(cohort.id, new Map(seeded.expected));
  }
  if (options.latency ?? true) Object.assign(mixpanel.latencyMs, { engage: DEMO_LATENCY_MS.engage });
  if (options.latency ?? true) apis.clevertap.latencyMs.upload = DEMO_LATENCY_MS.upload;

  const random = prng(20_240_601);
  let joinerCounter = 0;

  const churn = (cohortId: number, change: { join?: number; leave?: number } = {}): ChurnResult => {
    const cohort = mixpanel.state.cohort(projectId, cohortId);
    const ids = expected.get(cohortId);
    if (!cohort || !ids) throw new Error(`Demo world: no cohort ${cohortId}`);
    const result: ChurnResult = { cohortId, joined: new Map(), left: new Map() };
    const members = [...cohort.members];
    for (let count = 0; count < (change.leave ?? 2) && members.length > 0; count++) {
      const [distinctId] = members.splice(Math.floor(random() * members.length), 1) as [string];
      result.left.set(distinctId, ids.get(distinctId));
      ids.delete(distinctId);
    }
    mixpanel.state.removeMembers(projectId, cohortId, result.left.keys());
    for (let count = 0; count < (change.join ?? 3); count++) {
      joinerCounter++;
      const distinctId = `c${cohortId}-joiner-${joinerCounter}`;
      const cleverTapId = joinerCounter % 4 === 0 ? undefined : `ct-${cohortId}-j${joinerCounter}`;
      mixpanel.state.setProfile(projectId, distinctId, {
        $email: `${distinctId}@example.com`,
        $name: `Joiner ${joinerCounter}`,
        ...(cleverTapId ? { [CLEVERTAP_ID]: cleverTapId } : {}),
      });
      if (cleverTapId) ids.set(distinctId, cleverTapId);
      result.joined.set(distinctId, cleverTapId);
    }
    mixpanel.state.addMembers(projectId, cohortId, result.joined.keys());
    return result;
  };

  const cleverTapPage: Emulator = {
    hosts: apis.clevertap.hosts,
    async handle(request, response) {
      const path = request.url.pathname;
      const refresh = Number(request.url.searchParams.get('refresh') ?? '');
      if (request.host === 'api.clevertap.com' && (path === '/__emulator/' || path === '/__emulator') && refresh > 0) {
        const page = renderStatePage(apis.clevertap.state()).replace(
          '<head>',
          `<head><meta http-equiv="refresh" content="${Math.min(Math.round(refresh), 3600)}">`,
        );
        response.writeHead(200, { 'content-type': 'text/html;charset=utf-8', 'cache-control': 'no-store' }).end(page);
        return;
      }
      await apis.clevertap.handle(request, response);
    },
  };

  return {
    apis,
    emulators: [mixpanel, cleverTapPage],
    account,
    get credentials() {
      return {
        clevertap: { accountId: account.accountId, passcode: account.passcode, region: account.region },
        mixpanel: EMULATOR_CREDENTIALS.mixpanel,
      };
    },
    cohortsPageUrl: `https://mixpanel.com/project/${projectId}/view/${DEMO_VIEW}/app/lexicon#cohorts`,
    cleverTapPageUrl: 'https://api.clevertap.com/__emulator/?refresh=3',
    expected: (cohortId) => new Set(expected.get(cohortId)?.values() ?? []),
    memberCount: (cohortId) => mixpanel.state.cohort(projectId, cohortId)?.members.size ?? 0,
    churn,
    startChurn(intervalMs, onTick) {
      const timer = setInterval(() => {
        const results = Object.values(DEMO_COHORTS).map((cohort) =>
          churn(cohort.id, { join: 1 + Math.floor(random() * 3), leave: 1 + Math.floor(random() * 2) }),
        );
        onTick?.(results);
      }, intervalMs);
      return () => clearInterval(timer);
    },
    rotatePasscode(passcode) {
      account.passcode = passcode;
    },
  };
}

/** The Lexicon page lists the demo's cohorts (not the overlay tests' fifty), with their sizes. */
const DEMO_PAGE_COHORTS: FixtureCohort[] = Object.values(DEMO_COHORTS).map((cohort) => ({
  id: cohort.id,
  name: cohort.name,
  count: cohort.members,
  description: cohort.description,
  idOnPage: true,
}));

/**
 * A light skin, so the page reads like an app and not like a test fixture. The fixture app builds
 * its views in shadow roots, so the style goes into each shadow root as it is attached.
 */
const SKIN = `
:host { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2330; }
nav { display: flex; gap: 18px; align-items: center; padding: 12px 24px; background: #1d1a3c; }
nav a { color: #d9d6ff; text-decoration: none; font-weight: 500; }
nav a:first-child { color: #fff; }
main { padding: 8px 24px; }
h1 { font-size: 20px; margin: 12px 0 14px; }
[role="table"] { display: table; border-collapse: collapse; min-width: 640px; background: #fff;
  border: 1px solid #e3e5ee; border-radius: 8px; }
[role="row"] { display: table-row; }
[role="columnheader"], [role="rowheader"], [role="cell"] { display: table-cell; padding: 9px 14px;
  border-bottom: 1px solid #eef0f5; vertical-align: middle; }
[role="columnheader"] { font-size: 12px; font-weight: 600; color: #6b7185; text-transform: uppercase; letter-spacing: .04em; }
[role="cell"]:nth-child(2) { text-align: right; font-variant-numeric: tabular-nums; color: #454b5e; }
[role="rowheader"] a { color: #3f35c9; text-decoration: none; font-weight: 500; }
button { border: 1px solid #d4d7e3; background: #fff; border-radius: 6px; padding: 2px 10px; cursor: pointer; }
`;

const SHELL = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Cohorts · Lexicon · Mixpanel (demo)</title>
<style>body { margin: 0; background: #f6f7fb; font: 14px/1.45 system-ui, sans-serif; }</style></head>
<body>
<script type="module">
const skin = ${JSON.stringify(SKIN)};
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  const root = attachShadow.call(this, init);
  const style = document.createElement('style');
  style.textContent = skin;
  root.append(style);
  return root;
};
import('/__fixtures__/mixpanel/app.js').then(({ startFixtureApp }) =>
  startFixtureApp(window, ${JSON.stringify(DEMO_PAGE_COHORTS).replace(/</g, '\\u003c')}));
</script>
</body>
</html>`;

async function demoPages(request: EmulatorRequest, response: ServerResponse): Promise<boolean> {
  if (request.method === 'GET' && /^\/project\/\d+(?:\/|$)/.test(request.url.pathname)) {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(SHELL);
    return true;
  }
  return serveMixpanelFixtures(request, response);
}
