/**
 * The emulator's own copy of CleverTap's contract, written from the public sources (developer docs'
 * "Common API components" and "Custom list endpoints", the partner pages' region tables, the
 * api-errors page, recorded answers). Nothing here comes from lib/: if the client gets a host, a
 * field or a rule wrong, the emulator disagrees and the tests show it.
 */

/** Region → API host. The docs' six, plus South Korea from the partner pages and Segment/RudderStack. */
export const REGION_HOSTS = {
  eu1: 'api.clevertap.com',
  in1: 'in1.api.clevertap.com',
  sg1: 'sg1.api.clevertap.com',
  us1: 'us1.api.clevertap.com',
  aps3: 'aps3.api.clevertap.com',
  mec1: 'mec1.api.clevertap.com',
  sk1: 'sk1.api.clevertap.com',
} as const;

export type EmulatedRegion = keyof typeof REGION_HOSTS;

/** `/upload_custom_list_segment_completed` body, as RudderStack and public scripts send it. */
export const COMPLETED_FIELDS = {
  name: 'string',
  email: 'string',
  filename: 'string',
  creator: 'string',
  url: 'string',
  replace: 'boolean',
} as const;

/** The first field missing or of the wrong type, or undefined when the body is complete. */
export function completedBodyProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body';
  const fields = body as Record<string, unknown>;
  for (const [name, type] of Object.entries(COMPLETED_FIELDS)) {
    const value = fields[name];
    if (typeof value !== type) return name;
    if (type === 'string' && (value as string).trim() === '') return name;
  }
  return undefined;
}

/** "Identity … under 1024 chars" (CSV-import docs; the 2017 upload answer said 120). */
export const IDENTITY_LIMIT = 1024;

/** Values CleverTap refuses as identity (CSV-upload docs), compared case-insensitively. */
const REFUSED_IDENTITIES = [
  'undefined', 'null', 'na', 'n/a', '0', 'nil', '-1', 'infinity', '-infinity', 'inf', '-inf', 'nan', '-nan',
  'empty', 'xxxxxx', 'none',
];

/** The identity a record is stored under, or undefined when CleverTap would refuse it (code 523). */
export function acceptedIdentity(value: unknown): string | undefined {
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number') text = String(value);
  else return undefined;
  if (text === '' || REFUSED_IDENTITIES.includes(text.toLowerCase())) return undefined;
  if ([...text].length > IDENTITY_LIMIT) return undefined;
  return text;
}

/** RFC 4180 records: quoted fields, doubled quotes, CRLF or LF line ends. */
export function readCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  let position = 0;
  while (position < text.length) {
    const char = text.charAt(position);
    position++;
    if (inQuotes) {
      if (char !== '"') field += char;
      else if (text.charAt(position) === '"') {
        field += '"';
        position++;
      } else inQuotes = false;
      continue;
    }
    if (char === '"' && field === '') inQuotes = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text.charAt(position) === '\n') position++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
