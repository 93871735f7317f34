/** The live check's credentials, from environment variables only. */
import { CLEVERTAP_REGION_IDS, MIXPANEL_REGION_IDS, type CleverTapRegion, type MixpanelRegion } from '../../lib/regions';
import type { LiveConfig } from './checks';

export function configFromEnv(env: Record<string, string | undefined>): { ok: true; config: LiveConfig } | { ok: false; message: string } {
  const config: LiveConfig = {};
  const problems: string[] = [];
  if (env.MIXPANEL_USERNAME || env.MIXPANEL_SECRET || env.MIXPANEL_PROJECT_ID) {
    const projectId = Number(env.MIXPANEL_PROJECT_ID);
    const region = (env.MIXPANEL_REGION ?? 'us').toLowerCase() as MixpanelRegion;
    const cohortId = env.MIXPANEL_COHORT_ID ? Number(env.MIXPANEL_COHORT_ID) : undefined;
    if (!env.MIXPANEL_USERNAME || !env.MIXPANEL_SECRET) problems.push('Set MIXPANEL_USERNAME and MIXPANEL_SECRET (a service account).');
    if (!Number.isInteger(projectId) || projectId <= 0) problems.push('Set MIXPANEL_PROJECT_ID to the project number.');
    if (!MIXPANEL_REGION_IDS.includes(region)) problems.push(`MIXPANEL_REGION must be one of ${MIXPANEL_REGION_IDS.join(', ')}.`);
    if (cohortId !== undefined && !Number.isInteger(cohortId)) problems.push('MIXPANEL_COHORT_ID must be a cohort number.');
    config.mixpanel = { username: env.MIXPANEL_USERNAME ?? '', secret: env.MIXPANEL_SECRET ?? '', projectId, region, ...(cohortId === undefined ? {} : { cohortId }) };
  }
  if (env.CLEVERTAP_ACCOUNT_ID || env.CLEVERTAP_PASSCODE) {
    const region = (env.CLEVERTAP_REGION ?? 'eu1').toLowerCase() as CleverTapRegion;
    if (!env.CLEVERTAP_ACCOUNT_ID || !env.CLEVERTAP_PASSCODE) problems.push('Set CLEVERTAP_ACCOUNT_ID and CLEVERTAP_PASSCODE.');
    if (!CLEVERTAP_REGION_IDS.includes(region)) problems.push(`CLEVERTAP_REGION must be one of ${CLEVERTAP_REGION_IDS.join(', ')}.`);
    config.clevertap = { accountId: env.CLEVERTAP_ACCOUNT_ID ?? '', passcode: env.CLEVERTAP_PASSCODE ?? '', region };
  }
  if (!config.mixpanel && !config.clevertap) {
    problems.push('Set the MIXPANEL_* and/or CLEVERTAP_* variables: see the README, “Check real accounts”.');
  }
  return problems.length ? { ok: false, message: problems.join('\n') } : { ok: true, config };
}
