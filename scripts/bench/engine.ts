/**
 * The real engine in Chromium against the emulators: throughput, calls, service-worker heap,
 * IndexedDB size and the cost of a stopped worker. The emulators run in this Node process.
 */
import { readFileSync } from 'node:fs';
import type { StateView as AppState, SyncView as Sync } from '../../lib/messages';
import { createEmulators, EMULATOR_CREDENTIALS, type EmulatorSet } from '../../test/emulators';
import { CLEVERTAP_ID } from '../../test/emulators/mixpanel';
import { batchesOf, CUSTOM_LIST_CALLS, firstExportFloor, pagesOf, pipelinedBoundMs, visibilityChecks, type Workload } from './bounds';
import { launchBench, sleep, type BenchBrowser } from './browser';
import { HeapSampler, type CpuSummary } from './cdp';

export const PROJECT_ID = EMULATOR_CREDENTIALS.mixpanel.projectId;
export interface LatencyProfile {
  name: string;
  /** Per engage page (and cohorts/list) request. */
  mixpanelMs: number;
  /** Per CleverTap request: /1/upload and each custom-list call. */
  clevertapMs: number;
}

/** Every export case runs at both: the emulators' quick default and one closer to production. */
export const PROFILES = {
  fast: { name: 'fast', mixpanelMs: 400, clevertapMs: 300 },
  production: { name: 'production-like', mixpanelMs: 2000, clevertapMs: 800 },
} satisfies Record<string, LatencyProfile>;
export const LATENCY = PROFILES.fast;

export interface EngineCase {
  members: number;
  pageSize: number;
  /** settings.queryBudget.concurrent */
  concurrency: number;
  profile: LatencyProfile;
}

export interface RunFigures {
  /** Engine's own run duration (lastRun.finishedAt − startedAt). */
  wallMs: number;
  /** From sync.start/sync.now until the first poll that saw phase "delivering". */
  readPhaseMs?: number;
  engageCalls: number;
  cohortListCalls: number;
  clevertapRequests: number;
  uploadRequests: number;
  peakMixpanelConcurrency: number;
  peakUploadConcurrency: number;
  heapPeakBytes: number;
  heapSamples: number;
  /** The worker's CPU profile over the run; absent if the worker was replaced. */
  workerCpu?: CpuSummary;
  /** CPU time of this Node process (the emulators, and the benchmark's polling) during the run. */
  emulatorCpuMs: number;
  /** Share of all cores busy during the run, every process on the machine counted. */
  machineBusy: number;
  phases?: PhaseTimes;
  summary: NonNullable<Sync['lastRun']>;
}

export interface ThroughputResult extends RunFigures {
  case: EngineCase;
  workload: Workload;
  boundMs: number;
  boundAtConcurrencyMs: number;
  idbBytes?: number;
}

export interface EngineSession {
  browser: BenchBrowser;
  apis: EmulatorSet;
  /** Every API request the emulators answered since the last measured run began (ms since epoch). */
  timeline: TimelineEntry[];
  close(): Promise<void>;
}

export interface TimelineEntry {
  kind: 'engage' | 'upload' | 'custom-list' | 'other';
  start: number;
  end: number;
}

function kindOf(path: string): TimelineEntry['kind'] {
  if (path.endsWith('/engage')) return 'engage';
  if (path === '/1/upload') return 'upload';
  if (path.includes('custom_list') || path.endsWith('.csv')) return 'custom-list';
  return 'other';
}

/** Phase gaps seen from the API side: where the engine spends time without calling anyone. */
export interface PhaseTimes {
  /** First engage request start → last engage answer. */
  readMs: number;
  /** Last engage answer → first request after it (staging the last page, diff, brake). */
  diffGapMs: number;
  /** First upload start → last upload answer. */
  uploadMs: number;
  /** Last upload answer → custom-list URL request (building the CSV). */
  csvGapMs: number;
  /** The three custom-list calls. */
  customListMs: number;
  /** Uploads that started before the last engage answer: sent while the read went on. */
  uploadsDuringRead?: number;
  /** Mean uploads in flight over the upload window (sum of their times ÷ the window). */
  meanUploadsInFlight?: number;
  /** Mean time from an upload's arrival to its answer, against the configured latency. */
  meanUploadMs?: number;
  /** The same for engage pages. */
  meanEngageMs?: number;
  /** The run's start (its own record) → the first API request: loading state, clients, checkpoint. */
  startGapMs?: number;
  /** The last API answer → the run's end: the commit. */
  commitGapMs?: number;
}

/** The first upload (or, failing one, custom-list call) that starts at or after `at`. */
function firstAfter(uploads: readonly TimelineEntry[], list: readonly TimelineEntry[], at: number): number {
  const later = uploads.filter((entry) => entry.start >= at);
  return Math.min(...(later.length ? later : list).map((entry) => entry.start));
}

export function phaseTimes(timeline: readonly TimelineEntry[], run?: { startedAt: number; finishedAt: number }): PhaseTimes | undefined {
  const of = (kind: TimelineEntry['kind']) => timeline.filter((entry) => entry.kind === kind);
  const engage = of('engage');
  const upload = of('upload');
  const list = of('custom-list');
  if (engage.length === 0 || upload.length === 0 || list.length === 0) return undefined;
  const min = (xs: TimelineEntry[], key: 'start' | 'end') => Math.min(...xs.map((x) => x[key]));
  const max = (xs: TimelineEntry[], key: 'start' | 'end') => Math.max(...xs.map((x) => x[key]));
  const sum = (xs: TimelineEntry[]) => xs.reduce((total, x) => total + x.end - x.start, 0);
  return {
    readMs: max(engage, 'end') - min(engage, 'start'),
    diffGapMs: firstAfter(upload, list, max(engage, 'end')) - max(engage, 'end'),
    uploadMs: max(upload, 'end') - min(upload, 'start'),
    csvGapMs: min(list, 'start') - max(upload, 'end'),
    customListMs: max(list, 'end') - min(list, 'start'),
    uploadsDuringRead: upload.filter((entry) => entry.start < max(engage, 'end')).length,
    meanUploadsInFlight: sum(upload) / Math.max(1, max(upload, 'end') - min(upload, 'start')),
    meanUploadMs: sum(upload) / upload.length,
    meanEngageMs: sum(engage) / engage.length,
    ...(run
      ? { startGapMs: min([...timeline], 'start') - run.startedAt, commitGapMs: run.finishedAt - max([...timeline], 'end') }
      : {}),
  };
}

/** Jiffies of all cores from /proc/stat: busy (not idle or iowait) and total. */
function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, n) => sum + n, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

export async function engineSession(): Promise<EngineSession> {
  const apis = createEmulators();
  const browser = await launchBench(apis.list);
  await browser.connect();
  await browser.saveSettings({ queryBudget: { hourly: 60, concurrent: 3 } });
  setLatency(apis, LATENCY);
  const timeline: TimelineEntry[] = [];
  for (const emulator of [apis.mixpanel, apis.clevertap]) {
    const handle = emulator.handle.bind(emulator);
    (emulator as { handle: typeof emulator.handle }).handle = (request, response) => {
      const entry: TimelineEntry = { kind: kindOf(request.url.pathname), start: Date.now(), end: 0 };
      response.on('finish', () => {
        entry.end = Date.now();
        timeline.push(entry);
      });
      return handle(request, response);
    };
  }
  return { browser, apis, timeline, close: () => browser.close() };
}

export function setLatency(apis: EmulatorSet, profile: LatencyProfile): void {
  apis.mixpanel.latencyMs.engage = profile.mixpanelMs;
  apis.mixpanel.latencyMs['cohorts-list'] = profile.mixpanelMs;
  for (const route of ['upload', 'profile', 'customListUrl', 'customListFile', 'customListCompleted'] as const) {
    apis.clevertap.latencyMs[route] = profile.clevertapMs;
  }
}

let nextCohortId = 7000;
export const newCohortId = () => nextCohortId++;

const syncId = (cohortId: number) => `${PROJECT_ID}:${cohortId}`;

function findSync(state: AppState, cohortId: number): Sync | undefined {
  return state.syncs.find((sync) => sync.cohortId === cohortId);
}

/** Starts (or re-runs) a sync and waits for it to be synced, sampling the worker's heap meanwhile. */
export async function measuredRun(
  session: EngineSession,
  cohortId: number,
  how: { start: 'start' | 'now'; type?: 'one-time' | 'dynamic'; during?: (status: Sync['status'], elapsedMs: number) => Promise<boolean | void> },
): Promise<RunFigures> {
  const { browser, apis } = session;
  apis.mixpanel.resetCounters();
  apis.clevertap.resetStats();
  session.timeline.length = 0;
  const before = findSync(await browser.state(), cohortId)?.lastRun?.runId;
  const sampler = new HeapSampler(browser.devtoolsPort, browser.extensionId, 250);
  sampler.start();
  const cpuBefore = process.cpuUsage();
  const machineBefore = machineCpu();
  const t0 = Date.now();
  const reply =
    how.start === 'start'
      ? await browser.send<{ ok: boolean }>({ type: 'sync.start', cohortId, cohortName: `Bench ${cohortId}`, syncType: how.type ?? 'one-time' })
      : await browser.send<{ ok: boolean }>({ type: 'sync.now', syncId: syncId(cohortId) });
  if (!reply.ok) throw new Error(`could not start the run: ${JSON.stringify(reply)}`);
  let readPhaseMs: number | undefined;
  let sync: Sync | undefined;
  let hookDone = false;
  for (;;) {
    await sleep(150);
    sync = findSync(await browser.state(), cohortId);
    const status = sync?.status;
    if (!status) throw new Error('the sync disappeared');
    if (readPhaseMs === undefined && status.state === 'running' && status.phase === 'delivering') readPhaseMs = Date.now() - t0;
    if (status.state === 'synced' && sync?.lastRun && sync.lastRun.runId !== before) break;
    if (status.state === 'failed' || status.state === 'paused' || status.state === 'needs-review') {
      throw new Error(`run ended ${status.state}: ${JSON.stringify(status)}`);
    }
    if (how.during && !hookDone) hookDone = (await how.during(status, Date.now() - t0)) === true;
    if (Date.now() - t0 > 30 * 60_000) throw new Error('run took over 30 minutes');
  }
  await sampler.stop();
  const cpuUsed = process.cpuUsage(cpuBefore);
  const machineAfter = machineCpu();
  const summary = sync!.lastRun!;
  const ct = apis.clevertap.stats();
  const mp = apis.mixpanel.counters;
  return {
    wallMs: summary.finishedAt - summary.startedAt,
    readPhaseMs,
    engageCalls: mp.requestsByPath['/api/query/engage'] ?? 0,
    cohortListCalls: mp.requestsByPath['/api/query/cohorts/list'] ?? 0,
    clevertapRequests: Object.values(ct.requests).reduce((sum, n) => sum + n, 0),
    uploadRequests: ct.requests['/1/upload'] ?? 0,
    peakMixpanelConcurrency: mp.peakConcurrency,
    peakUploadConcurrency: ct.peakConcurrentUploads,
    heapPeakBytes: sampler.peakUsed,
    heapSamples: sampler.samples,
    ...(sampler.cpu ? { workerCpu: sampler.cpu } : {}),
    emulatorCpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
    machineBusy: (machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total),
    phases: phaseTimes(session.timeline, summary),
    summary,
  };
}

/**
 * Bytes of data in the extension's IndexedDB (every store but secrets), counted from the records
 * themselves: a string's length, 8 per number, a typed array's byteLength, and key names. The files
 * on disk are no measure: LevelDB compresses, and deletions of earlier cases are reclaimed at some
 * later compaction.
 */
export async function idbUsage(browser: BenchBrowser): Promise<number> {
  const worker = await browser.worker();
  // A string, not a function: tsx would wrap the inner functions in a helper the worker lacks.
  return worker.evaluate<number>(IDB_BYTES);
}

const IDB_BYTES = `(async () => {
  const sizeOf = (value) => {
    if (value === null || value === undefined) return 0;
    if (typeof value === 'string') return value.length;
    if (typeof value === 'number') return 8;
    if (typeof value === 'boolean') return 1;
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength;
    if (Array.isArray(value)) return value.reduce((sum, item) => sum + sizeOf(item), 0);
    return Object.entries(value).reduce((sum, [key, item]) => sum + key.length + sizeOf(item), 0);
  };
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('cohort-sync');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  let total = 0;
  for (const name of [...db.objectStoreNames].filter((store) => store !== 'secrets')) {
    await new Promise((resolve, reject) => {
      const cursor = db.transaction(name).objectStore(name).openCursor();
      cursor.onsuccess = () => {
        if (!cursor.result) return resolve();
        total += sizeOf(cursor.result.value);
        cursor.result.continue();
      };
      cursor.onerror = () => reject(cursor.error);
    });
  }
  db.close();
  return total;
})()`;

export function seed(apis: EmulatorSet, cohortId: number, members: number) {
  return apis.mixpanel.seedCohort({ projectId: PROJECT_ID, cohortId, name: `Bench ${cohortId}`, members });
}

export function workloadOf(
  seeded: { members: number; withoutProfile: number; valid: number },
  pageSize: number,
  profile: LatencyProfile = LATENCY,
): Workload {
  return {
    profiles: seeded.members - seeded.withoutProfile,
    valid: seeded.valid,
    pageSize,
    mixpanelLatencyMs: profile.mixpanelMs,
    clevertapLatencyMs: profile.clevertapMs,
  };
}

/** One export of a fresh cohort; the sync is stopped afterwards so its snapshot leaves IndexedDB. */
export async function throughput(session: EngineSession, c: EngineCase, options: { measureIdb?: boolean } = {}): Promise<ThroughputResult> {
  const { apis, browser } = session;
  apis.mixpanel.limits.maxPageSize = c.pageSize;
  setLatency(apis, c.profile);
  await browser.saveSettings({ queryBudget: { hourly: 60, concurrent: c.concurrency } });
  const cohortId = newCohortId();
  const seeded = seed(apis, cohortId, c.members);
  const workload = workloadOf(seeded, c.pageSize, c.profile);
  const idbBefore = options.measureIdb ? await idbUsage(browser) : 0;
  let figures: RunFigures;
  try {
    figures = await measuredRun(session, cohortId, { start: 'start' });
  } finally {
    setLatency(apis, LATENCY);
  }
  const idbAfter = options.measureIdb ? await idbUsage(browser) : 0;
  await browser.send({ type: 'sync.stop', syncId: syncId(cohortId) });
  forgetCohort(apis, cohortId);
  return {
    ...figures,
    case: c,
    workload,
    boundMs: pipelinedBoundMs(workload),
    boundAtConcurrencyMs: pipelinedBoundMs(workload, c.concurrency),
    ...(options.measureIdb ? { idbBytes: idbAfter - idbBefore } : {}),
  };
}

/**
 * Drops a finished case's members and profiles from both emulators, so a 1M case leaves neither heap
 * nor a million CleverTap profiles behind for the cases after it.
 */
function forgetCohort(apis: EmulatorSet, cohortId: number): void {
  apis.clevertap.reset();
  const cohort = apis.mixpanel.state.cohort(PROJECT_ID, cohortId);
  if (!cohort) return;
  const profiles = apis.mixpanel.state.profiles(PROJECT_ID);
  for (const id of cohort.members) profiles.delete(id);
  cohort.members.clear();
}

export interface ChurnResult {
  mode: 'segment' | 'property';
  /** The share of members that left (half) and joined (half) before the re-run. */
  churn: number;
  members: number;
  pageSize: number;
  added: number;
  removed: number;
  engageCalls: number;
  engageFloor: number;
  cohortListCalls: number;
  clevertapRequests: number;
  clevertapFloor: number;
  uploadRequests: number;
  wallMs: number;
}

/** A dynamic sync, then a re-run after `churn` of the members changed (half leave, half join; 0 = no change). */
export async function churnRerun(
  session: EngineSession,
  mode: 'segment' | 'property',
  members: number,
  pageSize: number,
  churn = 0.01,
): Promise<ChurnResult> {
  const { apis, browser } = session;
  apis.mixpanel.limits.maxPageSize = pageSize;
  await browser.saveSettings({ deliveryMode: mode, queryBudget: { hourly: 60, concurrent: 3 } });
  const cohortId = newCohortId();
  const seeded = seed(apis, cohortId, members);
  await measuredRun(session, cohortId, { start: 'start', type: 'dynamic' });

  const cohort = apis.mixpanel.state.cohort(PROJECT_ID, cohortId)!;
  const profiles = apis.mixpanel.state.profiles(PROJECT_ID);
  const leaving = [...seeded.expected.keys()].slice(0, Math.round((members * churn) / 2));
  for (const id of leaving) cohort.members.delete(id);
  const joining = Math.round((members * churn) / 2);
  for (let index = 0; index < joining; index++) {
    const id = `c${cohortId}-joined-${index}`;
    cohort.members.add(id);
    profiles.set(id, { $email: `${id}@example.com`, [CLEVERTAP_ID]: `ct-joined-${cohortId}-${index}` });
  }
  const run = await measuredRun(session, cohortId, { start: 'now' });
  await browser.send({ type: 'sync.stop', syncId: syncId(cohortId) });
  forgetCohort(apis, cohortId);
  await browser.saveSettings({ deliveryMode: 'segment' });
  const { added, removed } = run.summary.counts;
  // Segment mode: batches, a visibility check of the last new profiles, and the list's 3 steps
  // (none for an unchanged membership).
  const listCalls = mode === 'segment' && added + removed > 0 ? CUSTOM_LIST_CALLS : 0;
  const clevertapFloor = mode === 'segment' ? batchesOf(added) + visibilityChecks(added) + listCalls : batchesOf(added + removed);
  const profilesNow = members - seeded.withoutProfile - leaving.length + joining;
  return {
    mode,
    churn,
    members,
    pageSize,
    added,
    removed,
    engageCalls: run.engageCalls,
    engageFloor: pagesOf({ profiles: profilesNow, valid: 0, pageSize, mixpanelLatencyMs: 0, clevertapLatencyMs: 0 }),
    cohortListCalls: run.cohortListCalls,
    clevertapRequests: run.clevertapRequests,
    clevertapFloor,
    uploadRequests: run.uploadRequests,
    wallMs: run.wallMs,
  };
}

export interface ResumeResult {
  phase: 'reading' | 'delivering';
  concurrency: number;
  members: number;
  pageSize: number;
  stoppedAtMs: number;
  wallMs: number;
  baselineWallMs: number;
  engageCalls: number;
  baselineEngageCalls: number;
  clevertapRequests: number;
  baselineClevertapRequests: number;
  uploadRequests: number;
  baselineUploadRequests: number;
  /** The stopped run's own floors (its cohort is seeded afresh): what an unstopped run of it would call. */
  engageFloor?: number;
  uploadFloor?: number;
  clevertapFloor?: number;
}

/** A run whose worker is stopped half-way through a phase, woken at once by a message. */
export async function resumeCost(session: EngineSession, phase: 'reading' | 'delivering', baseline: ThroughputResult): Promise<ResumeResult> {
  const { apis, browser } = session;
  const { members, pageSize, concurrency } = baseline.case;
  apis.mixpanel.limits.maxPageSize = pageSize;
  await browser.saveSettings({ queryBudget: { hourly: 60, concurrent: concurrency } });
  const cohortId = newCohortId();
  const seeded = seed(apis, cohortId, members);
  let stoppedAtMs = 0;
  const run = await measuredRun(session, cohortId, {
    start: 'start',
    during: async (status, elapsedMs) => {
      if (status.state !== 'running' || status.phase !== phase || status.total === 0) return false;
      // Half-way through a read; in delivery, at first sight (it may last a second or two).
      if (phase === 'reading' ? status.done < status.total / 2 : status.done >= status.total) return false;
      stoppedAtMs = elapsedMs;
      await browser.stopWorker();
      // Any message wakes a fresh worker, whose start resumes the run from its checkpoint.
      await browser.send({ type: 'ping' });
      return true;
    },
  });
  if (!stoppedAtMs) throw new Error(`the run finished before it could be stopped while ${phase}`);
  await browser.send({ type: 'sync.stop', syncId: syncId(cohortId) });
  forgetCohort(apis, cohortId);
  return {
    phase,
    concurrency,
    members,
    pageSize,
    stoppedAtMs,
    wallMs: run.wallMs,
    baselineWallMs: baseline.wallMs,
    engageCalls: run.engageCalls,
    baselineEngageCalls: baseline.engageCalls,
    clevertapRequests: run.clevertapRequests,
    baselineClevertapRequests: baseline.clevertapRequests,
    uploadRequests: run.uploadRequests,
    baselineUploadRequests: baseline.uploadRequests,
    engageFloor: pagesOf(workloadOf(seeded, pageSize)),
    uploadFloor: batchesOf(run.summary.counts.exported),
    clevertapFloor: firstExportFloor(run.summary.counts.exported),
  };
}
