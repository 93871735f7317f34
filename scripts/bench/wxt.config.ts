/**
 * The product's WXT config, built into a directory of the benchmark's own, so other builds of the
 * working tree (tests, other engineers) never swap the extension under a running benchmark.
 */
import { defineConfig } from 'wxt';
import base from '../../wxt.config';

export const BENCH_OUT_DIR = process.env.BENCH_EXT_DIR ?? '/tmp/bench-ext';

export default defineConfig({ ...base, outDir: BENCH_OUT_DIR });
