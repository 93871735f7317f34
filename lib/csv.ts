/**
 * The one CSV writer: RFC 4180 (comma separated, fields with a comma, quote, CR or LF quoted,
 * quotes doubled), CRLF line ends, and safe to open in Excel, Sheets and LibreOffice: a text cell
 * that starts with =, +, -, @, tab or CR would be read as a formula, so it gets a leading
 * apostrophe (OWASP, https://owasp.org/www-community/attacks/CSV_Injection). Numbers are written
 * as numbers, untouched.
 *
 * A file meant for a machine rather than a spreadsheet turns the guard off, so its values arrive
 * exactly as given (CleverTap's custom-list file: see lib/clevertap/csv.ts).
 */
export type CsvCell = string | number | boolean | null | undefined;

export interface CsvOptions {
  /** Prefix formula-like text with an apostrophe. Default true. */
  formulaGuard?: boolean;
  /** What ends each record. Default CRLF (RFC 4180). */
  lineEnd?: '\r\n' | '\n';
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell, neutralised (unless the guard is off) and quoted as needed. */
export function csvCell(value: CsvCell, { formulaGuard = true }: CsvOptions = {}): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = formulaGuard && FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, line end included. */
export function csvRecord(cells: readonly CsvCell[], options: CsvOptions = {}): string {
  return `${cells.map((cell) => csvCell(cell, options)).join(',')}${options.lineEnd ?? '\r\n'}`;
}

/** Rows (the first is usually the header) to one CSV text, each record ended by its line end. */
export function toCsv(rows: readonly (readonly CsvCell[])[], options: CsvOptions = {}): string {
  return rows.map((row) => csvRecord(row, options)).join('');
}
