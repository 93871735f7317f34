/**
 * `npm run bench`: the engine's throughput, calls, memory and resume cost in real Chromium against
 * the emulators, the overlay's cost to the Mixpanel page and the popup's first paint. Prints a table
 * and rewrites BENCHMARKS.md with the figures of this run.
 *
 *   npm run bench                    default set (under 15 minutes on 2 cores)
 *   npm run bench -- --million       adds the 1M-member export (heap, IndexedDB size, throughput)
 *   npm run bench -- --only=engine,overlay,popup,churn,resume
 *   npm run bench -- --only=engine --million --members=1000000   one cohort size only
 *   npm run bench -- --only=engine --members=100000 --page-size=10000   and one server page size
 *   npm run bench -- --no-write      print only, leave BENCHMARKS.md alone
 *   npm run bench -- --render=/tmp/bench-last-<checkout>.json   rewrite BENCHMARKS.md from a saved run's figures
 *   BENCH_CPU_PROFILE_DIR=/tmp/profiles npm run bench …   also saves each export's worker CPU profile (.cpuprofile)
 */
import { spawnSync } from 'node:child_process';
import { hasWebSocket } from './cdp';

// Node 20 has WebSocket (needed to reach the service worker over CDP) only behind a flag.
if (!hasWebSocket()) {
  const child = spawnSync(process.execPath, ['--experimental-websocket', '--no-warnings', '--import', 'tsx', process.argv[1]!, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(child.status ?? 1);
}

const { runBench } = await import('./run');
await runBench(process.argv.slice(2));
