/**
 * The fault matrix (see fault-matrix.ts). `npm test` runs the representative cells; with
 * RELIABILITY=1 (`npm run reliability`) every cell runs and a summary goes to test-results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { allCells, cellName, FAST_CELLS, runCell, type CellResult } from './fault-matrix';

const full = process.env.RELIABILITY === '1';
const cells = allCells().filter((cell) => full || FAST_CELLS.includes(cellName(cell)));
const results: CellResult[] = [];

describe('fault × phase', () => {
  it('names every fast cell', () => {
    const names = allCells().map(cellName);
    expect(FAST_CELLS.filter((name) => !names.includes(name))).toEqual([]);
  });

  for (const cell of cells) {
    it(cellName(cell), async () => {
      const result = await runCell(cell);
      results.push(result);
      expect(result.problems).toEqual([]);
    });
  }
});

afterAll(() => {
  if (!full) return;
  mkdirSync('test-results/reliability-summary', { recursive: true });
  writeFileSync('test-results/reliability-summary/fault-matrix.json', JSON.stringify(results, null, 2));
});
