import { describe, expect, it } from 'vitest';
import { checkIdentity, FORBIDDEN_IDENTITIES, IDENTITY_MAX_LENGTH } from '../../../lib/clevertap/identity';
import { customListCsv } from '../../../lib/clevertap/csv';
import { readCsvRecords } from '../../emulators/clevertap/contract';
import { mapRejections } from '../../../lib/clevertap/rejections';
import { CLEVERTAP_REGIONS, DEFAULT_CLEVERTAP_REGION } from '../../../lib/clevertap/regions';
import { CLEVERTAP_API_HOSTS, HOST_PERMISSIONS } from '../../../lib/permissions';

describe('checkIdentity', () => {
  it.each([
    ['user-42', { ok: true, identity: 'user-42' }],
    ['  padded  ', { ok: true, identity: 'padded' }],
    [1189549, { ok: true, identity: '1189549' }],
    ['jack@gmail.com', { ok: true, identity: 'jack@gmail.com' }],
    ['a,b "c"', { ok: true, identity: 'a,b "c"' }],
    ['00', { ok: true, identity: '00' }],
    ['x'.repeat(IDENTITY_MAX_LENGTH), { ok: true, identity: 'x'.repeat(IDENTITY_MAX_LENGTH) }],
    [undefined, { ok: false, reason: 'missing' }],
    [null, { ok: false, reason: 'missing' }],
    ['', { ok: false, reason: 'empty' }],
    ['   \t', { ok: false, reason: 'empty' }],
    [true, { ok: false, reason: 'not-text' }],
    [{ id: 1 }, { ok: false, reason: 'not-text' }],
    [['a'], { ok: false, reason: 'not-text' }],
    ['x'.repeat(IDENTITY_MAX_LENGTH + 1), { ok: false, reason: 'too-long' }],
    ['NULL', { ok: false, reason: 'forbidden' }],
    [' N/A ', { ok: false, reason: 'forbidden' }],
    [0, { ok: false, reason: 'forbidden' }],
    [-1, { ok: false, reason: 'forbidden' }],
    [Number.NaN, { ok: false, reason: 'forbidden' }],
    [Number.POSITIVE_INFINITY, { ok: false, reason: 'forbidden' }],
    ['-Infinity', { ok: false, reason: 'forbidden' }],
    ['XXXXXX', { ok: false, reason: 'forbidden' }],
  ] as const)('%j → %j', (value, expected) => {
    expect(checkIdentity(value)).toEqual(expected);
  });

  it('forbids every value CleverTap’s CSV docs list (https://docs.clevertap.com/docs/csv-upload), in any case', () => {
    for (const value of FORBIDDEN_IDENTITIES) {
      expect(checkIdentity(value.toUpperCase())).toEqual({ ok: false, reason: 'forbidden' });
    }
    expect(FORBIDDEN_IDENTITIES.size).toBe(16);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(checkIdentity('😀'.repeat(IDENTITY_MAX_LENGTH))).toMatchObject({ ok: true });
  });
});

describe('regions', () => {
  it('lists the seven regions in UI order, Europe first and default, South Korea included, on the permitted hosts', () => {
    expect(CLEVERTAP_REGIONS.map((region) => region.id)).toEqual(['eu1', 'in1', 'sg1', 'us1', 'aps3', 'mec1', 'sk1']);
    expect(CLEVERTAP_REGIONS.map((region) => region.label)).toEqual([
      'Europe',
      'India',
      'Singapore',
      'United States',
      'Indonesia',
      'Middle East (UAE)',
      'South Korea',
    ]);
    expect(DEFAULT_CLEVERTAP_REGION).toBe('eu1');
    expect(CLEVERTAP_REGIONS.map((region) => region.host).sort()).toEqual([...CLEVERTAP_API_HOSTS].sort());
    const regionOf = (host: string) => CLEVERTAP_REGIONS.find((region) => region.host === host)?.id;
    expect(regionOf('aps3.api.clevertap.com')).toBe('aps3');
    expect(regionOf('sk1.api.clevertap.com')).toBe('sk1');
    expect(HOST_PERMISSIONS).toContain('https://sk1.api.clevertap.com/*');
  });
});

describe('custom-list CSV', () => {
  it('writes the header and one i row per identity, escaping per RFC 4180', async () => {
    const { blob, rows } = await customListCsv(['a', 'b,c', 'say "hi"', 'line\nbreak']);
    expect(rows).toBe(4);
    const text = await blob.text();
    expect(text).toBe('Type,Identity\ni,a\ni,"b,c"\ni,"say ""hi"""\ni,"line\nbreak"\n');
    expect(readCsvRecords(text)).toEqual([
      ['Type', 'Identity'],
      ['i', 'a'],
      ['i', 'b,c'],
      ['i', 'say "hi"'],
      ['i', 'line\nbreak'],
    ]);
  });

  it('keeps identities exact: no formula guard, LF line ends', async () => {
    const identities = ['+4915112345678', '-42', '=1+1', '@handle'];
    const { blob } = await customListCsv(identities);
    const text = await blob.text();
    expect(text).toBe('Type,Identity\ni,+4915112345678\ni,-42\ni,=1+1\ni,@handle\n');
    expect(text).not.toContain('\r');
    expect(readCsvRecords(text).slice(1).map((record) => record[1])).toEqual(identities);
  });

  it('streams a large list from a generator into one file', async () => {
    function* many() {
      for (let i = 0; i < 25_001; i++) yield `u${i}`;
    }
    const { blob, rows } = await customListCsv(many());
    expect(rows).toBe(25_001);
    const lines = (await blob.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(25_002);
    expect(lines.at(-1)).toBe('i,u25000');
  });

  it('reads identities from an async iterable too', async () => {
    async function* paged() {
      yield 'a';
      yield 'b';
    }
    const { blob, rows } = await customListCsv(paged());
    expect(rows).toBe(2);
    expect(await blob.text()).toBe('Type,Identity\ni,a\ni,b\n');
  });
});

describe('mapRejections', () => {
  const batch = [{ identity: 'a' }, { identity: 'b' }, { identity: 'c' }];
  it('maps by record number, else by the echoed record (string or object)', () => {
    expect(
      mapRejections(batch, [
        { code: 515, error: 'Profile data is incorrect. Email is not valid.Skipped record number : 2' },
        { code: 523, error: 'Identity missing', record: '{ "identity" : "c" , "type" : "profile" }' },
        { code: 513, error: 'Restricted event', record: { identity: 'a', type: 'event' } },
        { code: 555, error: 'Miscellaneous server error' },
      ]),
    ).toEqual([
      { identity: 'b', code: 515, error: 'Profile data is incorrect. Email is not valid.' },
      { identity: 'c', code: 523, error: 'Identity missing' },
      { identity: 'a', code: 513, error: 'Restricted event' },
      { identity: '', code: 555, error: 'Miscellaneous server error' },
    ]);
  });
});
