/**
 * The custom-list file: header `Type,Identity`, one `i,<identity>` row per user
 * (https://developer.clevertap.com/docs/custom-list-endpoints). Rows are joined into chunks of 10,000
 * and each chunk becomes a Blob at once, so the file's text leaves the JavaScript heap as it is
 * written: a million identities are never held there as strings while the profiles still upload.
 *
 * Written by lib/csv.ts with two of its defaults off, because this file is read by CleverTap, not a
 * spreadsheet:
 * - no formula guard: an identity such as `+4915112345678` or `-42` must arrive exactly, since the
 *   list only qualifies profiles whose identity matches (an apostrophe would make it another identity);
 * - LF line ends: CleverTap documents no line end; LF is what RudderStack's production custom-list
 *   upload sends (Go's encoding/csv default, rudderlabs/rudder-server
 *   router/batchrouter/asyncdestinationmanager/clevertap_segment/utils.go), so a parser that splits on
 *   LF alone never leaves a CR on the last identity.
 */
import { csvRecord, type CsvOptions } from '../csv';

const CUSTOM_LIST_HEADER = ['Type', 'Identity'];

/** How the custom-list file is written (see above). */
export const CUSTOM_LIST_CSV: CsvOptions = { formulaGuard: false, lineEnd: '\n' };

const ROWS_PER_CHUNK = 10_000;

/** A custom-list file written a part at a time, e.g. one part per staged page of identities. */
export class CustomListWriter {
  private readonly parts: Blob[] = [new Blob([csvRecord(CUSTOM_LIST_HEADER, CUSTOM_LIST_CSV)])];
  private count = 0;

  get rows(): number {
    return this.count;
  }

  /** One Blob per call, so the text leaves the JavaScript heap at once. */
  add(identities: Iterable<string>): void {
    let text = '';
    for (const identity of identities) {
      text += csvRecord(['i', identity], CUSTOM_LIST_CSV);
      this.count++;
    }
    if (text) this.parts.push(new Blob([text]));
  }

  file(): { blob: Blob; rows: number } {
    return { blob: new Blob(this.parts, { type: 'text/csv' }), rows: this.count };
  }
}

/**
 * Accepts a plain or an async iterable (e.g. identities read from IndexedDB a page at a time);
 * the identities are written as given: check them with checkIdentity first.
 */
export async function customListCsv(
  identities: Iterable<string> | AsyncIterable<string>,
): Promise<{ blob: Blob; rows: number }> {
  const writer = new CustomListWriter();
  let chunk: string[] = [];
  const add = (identity: string) => {
    chunk.push(identity);
    if (chunk.length === ROWS_PER_CHUNK) {
      writer.add(chunk);
      chunk = [];
    }
  };
  if (Symbol.asyncIterator in identities) {
    for await (const identity of identities) add(identity);
  } else {
    for (const identity of identities) add(identity);
  }
  writer.add(chunk);
  return writer.file();
}
