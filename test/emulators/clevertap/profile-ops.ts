/**
 * How CleverTap applies `profileData` to a stored profile (https://docs.clevertap.com/docs/csv-upload,
 * https://docs.clevertap.com/docs/platform-considerations): plain values overwrite,
 * an array literal sets a multi-value property, `$add` / `$remove` edit a multi-value property
 * (`$add` on a scalar promotes it, old value stringified and kept; at most 100 values, oldest dropped),
 * `$set` replaces, `$delete` removes, `$incr` / `$decr` count.
 */
export const MULTI_VALUE_LIMIT = 100;

export type Properties = Record<string, unknown>;

export function applyProfileData(properties: Properties, profileData: Properties): void {
  for (const [key, value] of Object.entries(profileData)) {
    if (isOperation(value)) applyOperation(properties, key, value);
    else if (Array.isArray(value)) properties[key] = capped(unique(value.map(String)));
    else properties[key] = value;
  }
}

function isOperation(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && ['$add', '$remove', '$set', '$delete', '$incr', '$decr'].includes(keys[0]!);
}

function applyOperation(properties: Properties, key: string, operation: Record<string, unknown>): void {
  const [op, operand] = Object.entries(operation)[0]!;
  const current = properties[key];
  switch (op) {
    case '$add': {
      const existing = current === undefined ? [] : Array.isArray(current) ? current.map(String) : [String(current)];
      properties[key] = capped(unique([...existing, ...asList(operand)]));
      return;
    }
    case '$remove': {
      if (current === undefined) return;
      const removed = new Set(asList(operand));
      const kept = (Array.isArray(current) ? current.map(String) : [String(current)]).filter((item) => !removed.has(item));
      // A multi-value property left without values is gone (emulator choice; CleverTap does not say).
      if (kept.length === 0) delete properties[key];
      else properties[key] = kept;
      return;
    }
    case '$set':
      properties[key] = Array.isArray(operand) ? capped(unique(operand.map(String))) : operand;
      return;
    case '$delete':
      delete properties[key];
      return;
    case '$incr':
    case '$decr': {
      const step = Number(operand) * (op === '$incr' ? 1 : -1);
      properties[key] = (typeof current === 'number' ? current : 0) + (Number.isFinite(step) ? step : 0);
      return;
    }
  }
}

function asList(operand: unknown): string[] {
  return (Array.isArray(operand) ? operand : [operand]).map(String);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** FIFO eviction: the oldest values go first. */
function capped(values: string[]): string[] {
  return values.length > MULTI_VALUE_LIMIT ? values.slice(values.length - MULTI_VALUE_LIMIT) : values;
}
