/** The words for missing host access: pure, so the engine can say them without a browser API. */

/** `https://*.amazonaws.com/*` → `*.amazonaws.com`, for messages. */
export function hostOf(pattern: string): string {
  return pattern.replace(/^https:\/\//, '').replace(/\/\*$/, '');
}

export function hostAccessMessage(missing: readonly string[]): string {
  return (
    `The browser does not let Cohort Sync reach ${missing.map(hostOf).join(', ')}. ` +
    'Open Cohort Sync’s settings and press “Allow access”, then resume the sync.'
  );
}
