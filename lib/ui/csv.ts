/**
 * CSV for spreadsheets, per RFC 4180 (comma separated, CRLF line ends, fields with a comma, quote,
 * CR or LF quoted, quotes doubled), made safe to open in Excel, Sheets and LibreOffice: a text
 * cell that starts with =, +, -, @, tab or CR would be read as a formula, so it gets a leading
 * apostrophe (OWASP "CSV injection"). Numbers are written as numbers, untouched.
 */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell, neutralised and quoted as needed. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows (the first is usually the header) to one CSV text, each record ended by CRLF. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
