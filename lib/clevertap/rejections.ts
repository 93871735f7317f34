/**
 * Turns the `unprocessed` list of a /1/upload answer into per-user rejections. CleverTap names the
 * record by "Skipped record number : N" (1-based position within that request's `d`); when the number
 * is missing we fall back to the identity inside the echoed `record` (a JSON string or an object).
 */
import type { Rejection } from '../shapes';
import type { UnprocessedRecord } from './schemas';

const RECORD_NUMBER = /\s*Skipped record number\s*:\s*(\d+)\s*\.?\s*$/i;

export function mapRejections(batch: readonly { identity: string }[], unprocessed: readonly UnprocessedRecord[]): Rejection[] {
  return unprocessed.map((entry) => {
    const match = RECORD_NUMBER.exec(entry.error);
    const error = entry.error.replace(RECORD_NUMBER, '').trim() || entry.error.trim();
    const position = match ? Number(match[1]) : NaN;
    const byPosition = Number.isInteger(position) ? batch[position - 1] : undefined;
    const identity = byPosition?.identity ?? identityOfRecord(entry.record) ?? '';
    return { identity, code: entry.code, error };
  });
}

function identityOfRecord(record: UnprocessedRecord['record']): string | undefined {
  let object: unknown = record;
  if (typeof record === 'string') {
    try {
      object = JSON.parse(record);
    } catch {
      return undefined;
    }
  }
  if (typeof object !== 'object' || object === null) return undefined;
  const identity = (object as Record<string, unknown>)['identity'];
  return typeof identity === 'string' || typeof identity === 'number' ? String(identity) : undefined;
}
