/**
 * The product's WXT config, built into a directory of the benchmark's own, so other builds of the
 * working tree (tests, other engineers) never swap the extension under a running benchmark.
 * Not minified, so the worker's CPU profile names the product's own functions; the code is the same.
 */
import { defineConfig } from 'wxt';
import base from '../../wxt.config';

export const BENCH_OUT_DIR = process.env.BENCH_EXT_DIR ?? '/tmp/bench-ext';

export default defineConfig({ ...base, outDir: BENCH_OUT_DIR, vite: () => ({ build: { minify: false } }) });
