/** Numbers, times and durations the way the popup and options page show them: short and plain. */
import type { SkipCounts } from '../messages';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** "just now", "12 min ago", "in 4 min", "3 h ago", "2 d ago"; a date beyond a week. */
export function formatRelative(at: number, now: number, locale?: string): string {
  const delta = at - now;
  const distance = Math.abs(delta);
  if (distance < 45 * SECOND) return delta > 0 ? 'in less than a minute' : 'just now';
  let amount: string;
  if (distance < HOUR) amount = `${Math.max(1, Math.round(distance / MINUTE))} min`;
  else if (distance < DAY) amount = `${Math.round(distance / HOUR)} h`;
  else if (distance < 7 * DAY) amount = `${Math.round(distance / DAY)} d`;
  else return formatDateTime(at, locale);
  return delta > 0 ? `in ${amount}` : `${amount} ago`;
}

export function formatDateTime(at: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

/** "850 ms", "12 s", "3 min 4 s", "1 h 2 min". */
export function formatDuration(ms: number): string {
  const value = Math.max(0, ms);
  if (value < SECOND) return `${Math.round(value)} ms`;
  if (value < MINUTE) return `${Math.round(value / SECOND)} s`;
  if (value < HOUR) {
    const minutes = Math.floor(value / MINUTE);
    const seconds = Math.round((value % MINUTE) / SECOND);
    return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  }
  const hours = Math.floor(value / HOUR);
  const minutes = Math.round((value % HOUR) / MINUTE);
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
}

/** The time left of a run, from its expected end: "about 3 min left". */
export function formatEta(etaAt: number, now: number): string {
  const left = etaAt - now;
  if (left <= 0) return 'finishing';
  if (left < MINUTE) return 'less than a minute left';
  if (left < HOUR) return `about ${Math.round(left / MINUTE)} min left`;
  const hours = Math.floor(left / HOUR);
  const minutes = Math.round((left % HOUR) / MINUTE);
  return minutes ? `about ${hours} h ${minutes} min left` : `about ${hours} h left`;
}

/** 0.5 → "50 %". */
export function formatPercent(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}

/** "n of N", the progress bar's words. */
export function formatProgress(done: number, total: number): string {
  return `${formatCount(done)} of ${formatCount(total)}`;
}

export function totalSkipped(skipped: SkipCounts): number {
  return skipped.missingId + skipped.invalidId + skipped.duplicateId;
}

/** Skips by reason, for a tooltip or a table cell: "12 without $CleverTap_user_id, 1 invalid id". */
export function describeSkips(skipped: SkipCounts): string {
  const parts: string[] = [];
  if (skipped.missingId) parts.push(`${formatCount(skipped.missingId)} without $CleverTap_user_id`);
  if (skipped.invalidId) parts.push(`${formatCount(skipped.invalidId)} with an invalid id`);
  if (skipped.duplicateId) parts.push(`${formatCount(skipped.duplicateId)} with a duplicate id`);
  return parts.length ? parts.join(', ') : 'none';
}

/** For past events (last sync, connected): never "in …", even when the clock tick lags the event. */
export function formatAgo(at: number, now: number, locale?: string): string {
  return formatRelative(Math.min(at, now), now, locale);
}
