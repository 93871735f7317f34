/**
 * The custom-list file: header `Type,Identity`, one `i,<identity>` row per user (reference §3.2).
 * Rows are joined into chunks and the chunks handed to a Blob, so a million identities never exist
 * as both an array of rows and one giant string.
 */
export const CUSTOM_LIST_HEADER = 'Type,Identity';

const ROWS_PER_CHUNK = 10_000;

/** RFC 4180: a field containing a comma, quote or line break is quoted, quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Accepts a plain or an async iterable (e.g. identities read from IndexedDB a page at a time);
 * the identities are written as given: check them with checkIdentity first.
 */
export async function customListCsv(
  identities: Iterable<string> | AsyncIterable<string>,
): Promise<{ blob: Blob; rows: number }> {
  const chunks: string[] = [`${CUSTOM_LIST_HEADER}\n`];
  let chunk = '';
  let inChunk = 0;
  let rows = 0;
  const add = (identity: string) => {
    chunk += `i,${csvField(identity)}\n`;
    rows++;
    if (++inChunk === ROWS_PER_CHUNK) {
      chunks.push(chunk);
      chunk = '';
      inChunk = 0;
    }
  };
  if (Symbol.asyncIterator in identities) {
    for await (const identity of identities) add(identity);
  } else {
    for (const identity of identities) add(identity);
  }
  if (chunk) chunks.push(chunk);
  return { blob: new Blob(chunks, { type: 'text/csv' }), rows };
}

/** Reads a custom-list file back (tests; tolerant of CRLF and quoted fields). The emulator has its own reader. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}
