/**
 * The CSV writer moved to lib/csv.ts; this name stays only for lib/sync/history.ts, whose import
 * line the engine's own change updates. Import from lib/csv.ts.
 */
export { toCsv, type CsvCell } from '../csv';
