import { describe, expect, it } from 'vitest';
import { csvCell, csvRecord, toCsv } from '../../lib/csv';
import { CUSTOM_LIST_CSV } from '../../lib/clevertap/csv';

describe('toCsv', () => {
  it('joins cells with commas and ends every record with CRLF (RFC 4180)', () => {
    expect(toCsv([['distinct_id', 'identity', 'operation'], ['u1', 'ct-1', 'add']])).toBe(
      'distinct_id,identity,operation\r\nu1,ct-1,add\r\n',
    );
  });

  it('quotes fields with commas, quotes, CR or LF and doubles the quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('neutralises a formula start: %j', (value) => {
    const cell = csvCell(value);
    expect(cell.replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('neutralises and quotes at once', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('\rX')).toBe(`"'\rX"`);
  });

  it('leaves plain text, numbers and empty cells alone', () => {
    expect(csvCell('user-1')).toBe('user-1');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(3.5)).toBe('3.5');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell('')).toBe('');
  });

  it('writes values exactly, LF-ended, for a file a machine reads (the custom-list options)', () => {
    expect(csvCell('=1+1', CUSTOM_LIST_CSV)).toBe('=1+1');
    expect(csvCell('+4915112345678', { formulaGuard: false })).toBe('+4915112345678');
    expect(csvCell('-a,b', CUSTOM_LIST_CSV)).toBe('"-a,b"');
    expect(csvRecord(['i', '@x'], CUSTOM_LIST_CSV)).toBe('i,@x\n');
    expect(csvRecord(['i', '@x'])).toBe("i,'@x\r\n");
    expect(toCsv([['a'], ['-1']], { lineEnd: '\n' })).toBe("a\n'-1\n");
  });

  it('returns an empty text for no rows', () => {
    expect(toCsv([])).toBe('');
  });
});
