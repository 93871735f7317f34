/** The benchmark sequence; main.ts only makes sure WebSocket exists first. */
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, resolve } from 'node:path';
import { naiveModelMs } from './bounds';
import { CHROMIUM } from './browser';
import {
  churnRerun,
  engineSession,
  LATENCY,
  newCohortId,
  PROFILES,
  PROJECT_ID,
  resumeCost,
  seed,
  throughput,
  workloadOf,
  type ChurnResult,
  type EngineCase,
  type EngineSession,
  type ResumeResult,
  type ThroughputResult,
} from './engine';
import { naiveExport, type NaiveResult } from './naive';
import { overlayBench, type OverlayResult } from './overlay';
import { popupBench, type PopupResult } from './popup';
import { renderMarkdown, renderTable, type BenchReport } from './report';

const ROOT = resolve(import.meta.dirname, '../..');
/** This checkout's last run's figures (for --render), named after the checkout so checkouts do not mix. */
const SAVED = resolve(tmpdir(), `bench-last-${basename(ROOT)}.json`);

function machine() {
  const sh = (command: string) => {
    try {
      return execSync(command, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    cpus: `${sh('nproc')} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB (free -h: ${sh("free -h | awk '/^Mem:/ {print $2\" total, \"$7\" available\"}'")})`,
    chromium: sh(`${CHROMIUM} --version`).split('\n').pop() ?? 'unknown',
    node: process.version,
    date: new Date().toISOString(),
  };
}

async function naiveFor(session: EngineSession, members: number, pageSize: number): Promise<NaiveResult> {
  const cohortId = newCohortId();
  seed(session.apis, cohortId, members);
  try {
    return await naiveExport(session, cohortId, pageSize);
  } finally {
    session.apis.mixpanel.state.cohort(PROJECT_ID, cohortId)?.members.clear();
  }
}

export async function runBench(argv: string[]): Promise<void> {
  const million = argv.includes('--million');
  const write = !argv.includes('--no-write');
  const only = argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
  const wants = (section: string) => !only || only.includes(section);
  const render = argv.find((arg) => arg.startsWith('--render='))?.slice('--render='.length);
  if (render) {
    // Re-renders BENCHMARKS.md from a saved run (SAVED), without measuring again.
    const saved = JSON.parse(readFileSync(render, 'utf8')) as BenchReport;
    writeFileSync(resolve(ROOT, 'BENCHMARKS.md'), renderMarkdown(saved));
    console.log(renderTable(saved));
    return;
  }
  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

  log('Building the extension into the benchmark’s own directory…');
  execSync('npx wxt build -c scripts/bench/wxt.config.ts', { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (wants('overlay')) {
    execSync('npx wxt build -c scripts/bench/wxt.config.ts', { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, BENCH_SHIPPED: '1' } });
  }

  const report: BenchReport = {
    machine: machine(),
    settings: { ...LATENCY, million, profiles: Object.values(PROFILES) },
    throughput: [],
    naive: [],
    churn: [],
    resume: [],
  };

  if (wants('engine') || wants('churn') || wants('resume')) {
    const session = await engineSession();
    try {
      // A stop while reading is measured at pages of 1000 (a long read); a stop while delivering at
      // pages of 10,000, where uploads outlast the read (at 1000 they are nearly all sent during it).
      const resumeBaselines: Partial<Record<'reading' | 'delivering', ThroughputResult>> = {};
      if (wants('engine') || wants('resume')) {
        const shapes = wants('engine')
          ? [
              { members: 10_000, pageSize: 1000, concurrency: 3 },
              { members: 10_000, pageSize: 1000, concurrency: 5 },
              { members: 100_000, pageSize: 1000, concurrency: 3 },
              { members: 100_000, pageSize: 1000, concurrency: 5 },
              { members: 100_000, pageSize: 10_000, concurrency: 3 },
              { members: 100_000, pageSize: 10_000, concurrency: 5 },
              ...(million ? [{ members: 1_000_000, pageSize: 10_000, concurrency: 5 }] : []),
            ]
          : [
              { members: 100_000, pageSize: 1000, concurrency: 3 },
              { members: 100_000, pageSize: 10_000, concurrency: 5 },
            ];
        const profiles = wants('engine') ? Object.values(PROFILES) : [PROFILES.fast];
        // --members=N (with --only=engine) narrows the export cases to one cohort size, for a quick look.
        const onlyMembers = Number(argv.find((arg) => arg.startsWith('--members='))?.slice('--members='.length)) || undefined;
        const onlyPage = Number(argv.find((arg) => arg.startsWith('--page-size='))?.slice('--page-size='.length)) || undefined;
        const cases: EngineCase[] = profiles
          .flatMap((profile) => shapes.map((shape) => ({ ...shape, profile })))
          .filter((c) => !onlyMembers || c.members === onlyMembers)
          .filter((c) => !onlyPage || c.pageSize === onlyPage);
        for (const c of cases) {
          log(`engine: ${c.members.toLocaleString('en')} members, page size ${c.pageSize}, concurrency ${c.concurrency}, ${c.profile.name} latencies…`);
          const caseStarted = Date.now();
          const result = await throughput(session, c, { measureIdb: true });
          report.throughput.push(result);
          if (c.members >= 1_000_000) report.millionMs = (report.millionMs ?? 0) + (Date.now() - caseStarted);
          log(`  ${(result.wallMs / 1000).toFixed(1)} s, ${(result.wallMs / result.boundMs).toFixed(2)}× the bound; ${JSON.stringify({ ...result.phases, machineBusy: result.machineBusy })}`);
          if (c.members === 100_000 && c.profile === PROFILES.fast) {
            if (c.pageSize === 1000 && c.concurrency === 3) resumeBaselines.reading = result;
            if (c.pageSize === 10_000 && c.concurrency === 5) resumeBaselines.delivering = result;
          }
        }
        if (wants('engine') && !onlyMembers && !onlyPage) {
          // Measured at the fast latencies only: sequential calls at production latencies would take
          // minutes per case and add nothing the model (pages × Lm + (batches + 3) × Lc) does not say.
          const naiveCases: [number, number][] = [[10_000, 1000], [100_000, 1000], [100_000, 10_000]];
          for (const [members, pageSize] of naiveCases) {
            log(`naive baseline: ${members.toLocaleString('en')} members, page size ${pageSize}…`);
            const result = await naiveFor(session, members, pageSize);
            const model = naiveModelMs(workloadOf({ members, withoutProfile: Math.round(members * 0.05), valid: result.exported }, pageSize));
            report.naive.push({ members, pageSize, ...result, modelMs: model });
            log(`  ${(result.wallMs / 1000).toFixed(1)} s`);
          }
        }
      }
      if (wants('churn')) {
        for (const mode of ['segment', 'property'] as const) {
          log(`calls: dynamic re-run after 1 % churn, ${mode} mode…`);
          const result: ChurnResult = await churnRerun(session, mode, 20_000, 1000);
          report.churn.push(result);
        }
        log('calls: dynamic re-run with no membership change…');
        report.churn.push(await churnRerun(session, 'segment', 20_000, 1000, 0));
      }
      if (wants('resume')) {
        for (const phase of ['reading', 'delivering'] as const) {
          const baseline = resumeBaselines[phase];
          if (!baseline) continue;
          log(`resume: worker stopped while ${phase}…`);
          try {
            const result: ResumeResult = await resumeCost(session, phase, baseline);
            report.resume.push(result);
          } catch (error) {
            report.failures = [...(report.failures ?? []), `resume (${phase}): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`];
            log(`  failed: ${String(error).split('\n')[0]}`);
          }
        }
      }
    } finally {
      await session.close();
    }
  }

  // The engine's figures are kept even if a later section fails.
  writeFileSync(SAVED, JSON.stringify(report, null, 2));
  if (wants('overlay')) {
    log('overlay: sizes, main-thread cost on the heavy page, menu-to-item delay…');
    try {
      report.overlay = (await overlayBench()) satisfies OverlayResult;
    } catch (error) {
      report.failures = [...(report.failures ?? []), `overlay: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`];
      log(`  failed: ${String(error).split('\n')[0]}`);
    }
  }
  if (wants('popup')) {
    log('popup: 50 syncs…');
    try {
      report.popup = (await popupBench()) satisfies PopupResult;
    } catch (error) {
      report.failures = [...(report.failures ?? []), `popup: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`];
      log(`  failed: ${String(error).split('\n')[0]}`);
    }
  }
  report.totalMs = Date.now() - started;
  report.machine.load = `${loadAtStart.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at the end`;
  // --merge=file.json adds the 1M-member rows of an earlier `--only=engine --million` run, labelled as such.
  const merge = argv.find((arg) => arg.startsWith('--merge='))?.slice('--merge='.length);
  if (merge) {
    const saved = JSON.parse(readFileSync(merge, 'utf8')) as BenchReport;
    report.throughput.push(...saved.throughput.filter((t) => t.case.members >= 1_000_000));
    report.merged = { date: saved.machine.date, load: saved.machine.load ?? 'not recorded', totalMs: saved.totalMs ?? 0 };
  }

  console.log(renderTable(report));
  if (write && !only) {
    writeFileSync(resolve(ROOT, 'BENCHMARKS.md'), renderMarkdown(report));
    log('BENCHMARKS.md written.');
  } else if (write) {
    writeFileSync('/tmp/bench-partial.json', JSON.stringify(report, null, 2));
    log('Partial run (--only): figures in /tmp/bench-partial.json; BENCHMARKS.md left alone.');
  }
  writeFileSync(SAVED, JSON.stringify(report, null, 2));
}
