/**
 * The product's WXT config, built into directories of the benchmark's own, so other builds of the
 * working tree (tests, other engineers) never swap the extension under a running benchmark.
 * The measured build is not minified, so the worker's CPU profile names the product's own functions
 * (the code is the same); script sizes are taken from a second, shipped (minified) build
 * (`BENCH_SHIPPED=1`).
 */
import { defineConfig } from 'wxt';
import base from '../../wxt.config';

export const BENCH_OUT_DIR = process.env.BENCH_EXT_DIR ?? '/tmp/bench-ext';
export const SHIPPED_OUT_DIR = `${BENCH_OUT_DIR}-shipped`;
const shipped = process.env.BENCH_SHIPPED === '1';

export default defineConfig(
  shipped ? { ...base, outDir: SHIPPED_OUT_DIR } : { ...base, outDir: BENCH_OUT_DIR, vite: () => ({ build: { minify: false } }) },
);
