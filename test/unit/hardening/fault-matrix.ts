/**
 * The fault matrix: fault × phase, each cell run against the real SyncService and both emulators.
 * A cell: a first sync lands; membership changes (20 leave, 2,500 join: 3 upload batches and ~30
 * pages of 100); the fault is injected and the second run goes; then faults clear and the sync is
 * resumed. The invariant: the second run ends synced with the exact new membership, or paused or
 * failed with a reason and the first run's segment untouched; and the recovery always lands exact.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Fault } from '../../emulators/faults';
import { EMULATOR_CREDENTIALS } from '../../emulators';
import { seedCohort } from '../../emulators/mixpanel';
import { browserStorage } from '../../../lib/background/storage-items';
import { listHistory } from '../../../lib/storage/runs';
import { syncIdFor } from '../../../lib/storage/schema';
import { PROJECT_ID, startEngine, type Engine } from '../sync/harness';

export type Phase = 'first page' | 'middle page' | 'last page' | 'delivery' | 'commit';
export type Expect = 'synced' | 'stopped' | 'either';

export interface Cell {
  service: 'mixpanel' | 'clevertap';
  fault: string;
  phase: Phase;
  persistent: boolean;
  expect: Expect;
  inject: (engine: Engine, at: { pages: number }) => void;
}

export interface CellResult {
  name: string;
  outcome: string;
  reason?: string;
  recovered: boolean;
  maxUploads: number;
  rejected: number;
  ms: number;
  problems: string[];
}

const COHORT = 4242;
const NAME = 'Matrix <b>"=1+1"</b>';
const SEGMENT = `Mixpanel: ${NAME}`;
const PAGE = 100;
const TIMES = { transient: 2, persistent: 10_000 };
const MIXPANEL_BUSY = JSON.stringify({
  request: '/api/query/engage',
  error: `Query rate limit exceeded for project_id: ${PROJECT_ID}. 5/5 queries running concurrently and 7/60 queries running in the last hour.`,
});
const ENGAGE = '/api/query/engage';
const UPLOAD = '/1/upload';
const URL_STEP = '/get_custom_list_segment_url';
const PUT_STEP = /\.csv$/;
const DONE_STEP = '/upload_custom_list_segment_completed';

export const cellName = (cell: Cell) =>
  `${cell.service} ${cell.fault} × ${cell.phase} (${cell.persistent ? 'persistent' : 'transient'})`;

function pageIndex(phase: Phase, pages: number): number {
  return phase === 'first page' ? 0 : phase === 'middle page' ? Math.floor(pages / 2) : pages - 1;
}

const batchIndex = (phase: Phase) => (phase === 'first page' ? 0 : phase === 'middle page' ? 1 : 2);

/** Every cell of the matrix. */
export function allCells(): Cell[] {
  const cells: Cell[] = [];
  const mixpanelFaults: [string, Fault | 'expire', Expect, Expect][] = [
    // name, fault, expected when transient, expected when persistent
    ['429 storm', { kind: 'status', status: 429, body: MIXPANEL_BUSY }, 'synced', 'stopped'],
    ['503', { kind: 'status', status: 503, body: '{"error":"busy","status":"error"}' }, 'synced', 'stopped'],
    ['timeout', { kind: 'hang' }, 'synced', 'stopped'],
    ['malformed JSON', { kind: 'malformed' }, 'either', 'stopped'],
    ['reset connection', { kind: 'reset' }, 'synced', 'stopped'],
    ['session_id expiry', 'expire', 'synced', 'stopped'],
  ];
  for (const [fault, plan, transient, persistent] of mixpanelFaults) {
    for (const phase of ['first page', 'middle page', 'last page'] as const) {
      for (const isPersistent of [false, true]) {
        cells.push({
          service: 'mixpanel',
          fault,
          phase,
          persistent: isPersistent,
          expect: isPersistent ? persistent : transient,
          inject: (engine, { pages }) => {
            const times = isPersistent ? TIMES.persistent : plan === 'expire' ? 1 : TIMES.transient;
            // An expiry hits the request after the page: it is the next page that finds no session.
            const skip = plan === 'expire' ? Math.min(pageIndex(phase, pages) + 1, pages - 1) : pageIndex(phase, pages);
            const fault: Fault = plan === 'expire' ? { kind: 'hook', run: () => engine.mixpanel.expireSessions() } : plan;
            engine.mixpanel.faults.add(ENGAGE, fault, { skip, times });
          },
        });
      }
    }
  }

  const uploadFaults: [string, Fault | 'limit' | 'reject', Expect, Expect][] = [
    ['429 at the concurrency limit', 'limit', 'synced', 'stopped'],
    ['503', { kind: 'status', status: 503, body: '' }, 'synced', 'stopped'],
    ['timeout', { kind: 'hang' }, 'synced', 'stopped'],
    ['reset connection', { kind: 'reset' }, 'synced', 'stopped'],
    ['malformed JSON', { kind: 'malformed' }, 'either', 'stopped'],
    ['partial unprocessed', 'reject', 'synced', 'synced'],
  ];
  for (const [fault, plan, transient, persistent] of uploadFaults) {
    for (const phase of ['first page', 'middle page', 'last page'] as const) {
      for (const isPersistent of [false, true]) {
        cells.push({
          service: 'clevertap',
          // Upload batches: first, middle and last of the three.
          fault: `${fault}, ${['first', 'middle', 'last'][batchIndex(phase)]} batch`,
          phase: 'delivery',
          persistent: isPersistent,
          expect: isPersistent ? persistent : transient,
          inject: (engine) => {
            const skip = batchIndex(phase);
            if (plan === 'limit') {
              // Another integration holds 13 of the account's 15 upload slots.
              engine.clevertap.uploadConcurrencyLimit = 2;
              engine.clevertap.latencyMs.upload = 30;
              if (isPersistent) engine.clevertap.faults.add(UPLOAD, { kind: 'status', status: 429, body: '{"status":"fail","error":"Too many concurrent requests","code":429}' }, { skip, times: TIMES.persistent });
            } else if (plan === 'reject') {
              engine.clevertap.rejectIdentities.add(joinerIdentity(skip * 1000 + 7));
              if (isPersistent) engine.clevertap.rejectIdentities.add(joinerIdentity(skip * 1000 + 8));
            } else {
              engine.clevertap.faults.add(UPLOAD, plan, { skip, times: isPersistent ? TIMES.persistent : TIMES.transient });
            }
          },
        });
      }
    }
  }

  const commitFaults: [string, string | RegExp, Fault | 'url', Expect, Expect][] = [
    ['custom-list URL not generated', URL_STEP, 'url', 'synced', 'stopped'],
    ['upload PUT 500', PUT_STEP, { kind: 'status', status: 500, contentType: 'application/xml', body: '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>' }, 'synced', 'stopped'],
    ['upload PUT 403', PUT_STEP, { kind: 'status', status: 403, contentType: 'application/xml', body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' }, 'stopped', 'stopped'],
    ['upload PUT reset', PUT_STEP, { kind: 'reset' }, 'synced', 'stopped'],
    ['completion 500', DONE_STEP, { kind: 'status', status: 500, body: '' }, 'synced', 'stopped'],
    ['completion fail body', DONE_STEP, { kind: 'status', status: 200, body: '{"status":"fail","error":"Internal error","code":500}' }, 'synced', 'stopped'],
    ['completion timeout', DONE_STEP, { kind: 'hang' }, 'synced', 'stopped'],
  ];
  for (const [fault, path, plan, transient, persistent] of commitFaults) {
    for (const isPersistent of [false, true]) {
      cells.push({
        service: 'clevertap',
        fault,
        phase: 'commit',
        persistent: isPersistent,
        expect: isPersistent ? persistent : transient,
        inject: (engine) => {
          const times = isPersistent ? TIMES.persistent : TIMES.transient;
          if (plan === 'url') engine.clevertap.failNextCustomListUrl({ times });
          else engine.clevertap.faults.add(path, plan, { times });
        },
      });
    }
  }
  return cells;
}

/** The representative cells `npm test` runs; `npm run reliability` runs them all. */
export const FAST_CELLS = [
  'mixpanel 429 storm × middle page (transient)',
  'mixpanel 503 × last page (persistent)',
  'mixpanel timeout × first page (transient)',
  'mixpanel malformed JSON × middle page (persistent)',
  'mixpanel session_id expiry × middle page (transient)',
  'mixpanel session_id expiry × last page (persistent)',
  'clevertap 429 at the concurrency limit, middle batch × delivery (transient)',
  'clevertap 503, last batch × delivery (persistent)',
  'clevertap partial unprocessed, first batch × delivery (transient)',
  'clevertap custom-list URL not generated × commit (persistent)',
  'clevertap upload PUT 500 × commit (persistent)',
  'clevertap completion fail body × commit (transient)',
];

const joinerIdentity = (index: number) => `ct-joiner-${index}`;

export async function runCell(cell: Cell): Promise<CellResult> {
  const began = Date.now();
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  fakeBrowser.reset();
  const engine = await startEngine({
    // The browser's storage, so noSecrets can search storage.local itself.
    storage: browserStorage,
    mixpanel: { maxPageSize: PAGE },
    fetchTimeoutMs: 300,
    // The production policy (5 attempts, 1 s to 60 s with full jitter), a hundred times faster.
    retry: { attempts: 5, baseDelayMs: 10, maxDelayMs: 600, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
  });
  try {
    const { mixpanel, clevertap, service, settle } = engine;
    await engine.connect();
    await engine.settings({ notificationEmail: 'admin@example.com' });
    const seeded = seedCohort(mixpanel.state, { projectId: PROJECT_ID, cohortId: COHORT, name: NAME, members: 400 });
    const id = syncIdFor(PROJECT_ID, COHORT);
    await service.start(COHORT, NAME, 'dynamic');
    await settle();
    const first = clevertap.segment(SEGMENT);
    check((await engine.sync(id)).status.state === 'synced' && !!first, 'the first run did not land');
    const firstMembers = [...(first?.members ?? [])].sort();

    // New membership: 20 leave, 2,500 join.
    const expected = new Set(seeded.expected.values());
    const leavers = [...seeded.expected.keys()].slice(0, 20);
    mixpanel.state.removeMembers(PROJECT_ID, COHORT, leavers);
    for (const leaver of leavers) expected.delete(seeded.expected.get(leaver)!);
    const joiners: string[] = [];
    for (let index = 0; index < 2500; index++) {
      mixpanel.state.setProfile(PROJECT_ID, `joiner-${index}`, { $CleverTap_user_id: joinerIdentity(index), $email: `j${index}@example.com` });
      joiners.push(`joiner-${index}`);
      expected.add(joinerIdentity(index));
    }
    mixpanel.state.addMembers(PROJECT_ID, COHORT, joiners);
    const profiles = mixpanel.state.profiles(PROJECT_ID);
    const readable = [...mixpanel.state.cohort(PROJECT_ID, COHORT)!.members].filter((member) => profiles.has(member)).length;

    cell.inject(engine, { pages: Math.ceil(readable / PAGE) });
    await service.syncNow(id);
    await settle();
    const after = await engine.sync(id);
    const outcome = after.status.state;
    const reason = 'reason' in after.status ? after.status.reason : undefined;
    const segment = clevertap.segment(SEGMENT);
    const rejected = new Set(clevertap.rejectIdentities);
    const exact = [...expected].filter((identity) => !rejected.has(identity)).sort();

    if (outcome === 'synced') {
      check(cell.expect !== 'stopped', `expected a stop, got synced`);
      check(equal(sorted(segment?.members), exact), 'synced, but the segment is not the exact membership');
      check(new Set(segment?.members).size === segment?.members.length, 'an identity is in the segment twice');
      check((after.lastRun?.counts.rejected ?? 0) === rejected.size, 'rejections not counted');
      const [filed] = await listHistory(id);
      for (const identity of rejected) {
        check(!!filed?.rejections.some((rejection) => rejection.identity === identity), `rejection of ${identity} not reported`);
      }
    } else if (outcome === 'failed' || outcome === 'paused') {
      check(cell.expect !== 'synced', `expected synced, got ${outcome}: ${reason}`);
      check(!!reason && /Mixpanel|CleverTap/.test(reason), `no clear reason: ${reason}`);
      check(equal(sorted(segment?.members), firstMembers), 'the previous segment was changed');
      check(segment?.replaceCount === first?.replaceCount, 'the previous segment was replaced');
      check(engine.notifications.length > 0, 'no notification');
    } else {
      problems.push(`ended ${outcome}`);
    }

    // Recovery: the faults go away and the user (or the retry alarm) carries on.
    mixpanel.faults.clear();
    clevertap.faults.clear();
    clevertap.uploadConcurrencyLimit = 15;
    clevertap.latencyMs.upload = 0;
    if (outcome === 'paused') await service.resume(id);
    else if (outcome !== 'synced') await service.syncNow(id);
    await settle();
    const final = await engine.sync(id);
    const landed = clevertap.segment(SEGMENT);
    const recovered = final.status.state === 'synced' && equal(sorted(landed?.members), exact);
    check(recovered, `did not recover: ${JSON.stringify(final.status)}`);
    check(new Set(landed?.members).size === landed?.members.length, 'an identity is in the segment twice after recovery');
    const maxUploads = Math.max(...clevertap.profiles().map((profile) => profile.uploads));
    // First run once, then the joiners: a batch whose answer was lost may be sent again (idempotent).
    check(maxUploads <= 2, `a profile was upserted ${maxUploads} times`);
    check(await noSecrets(engine), 'a secret leaked into storage, history or notifications');
    return { name: cellName(cell), outcome, reason, recovered, maxUploads, rejected: rejected.size, ms: Date.now() - began, problems };
  } finally {
    await engine.close();
  }
}

/** No secret in storage.local, the history, the notifications or any sync's status. */
export async function noSecrets(engine: Engine): Promise<boolean> {
  const secrets = [EMULATOR_CREDENTIALS.clevertap.passcode, EMULATOR_CREDENTIALS.mixpanel.secret];
  const local = await fakeBrowser.storage.local.get(null);
  const syncs = (local['appState'] as { syncs?: { id: string }[] } | undefined)?.syncs ?? [];
  const history = await Promise.all(syncs.map((sync) => listHistory(sync.id)));
  const dump = JSON.stringify([local, history, engine.notifications]);
  return secrets.every((secret) => !dump.includes(secret));
}

const sorted = (values: Iterable<string> | undefined) => [...(values ?? [])].sort();
const equal = (a: string[], b: string[]) => a.length === b.length && a.every((value, index) => value === b[index]);
