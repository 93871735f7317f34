/**
 * `npm run check:live`: harmless calls against real Mixpanel and CleverTap accounts (see checks.ts),
 * with credentials from the environment, never from a file and never printed.
 *
 *   MIXPANEL_USERNAME, MIXPANEL_SECRET, MIXPANEL_PROJECT_ID, MIXPANEL_REGION (us|eu|in, default us),
 *   MIXPANEL_COHORT_ID (optional: page 0 of this cohort, else of the first listed)
 *   CLEVERTAP_ACCOUNT_ID, CLEVERTAP_PASSCODE, CLEVERTAP_REGION (eu1, in1, sg1, us1, aps3, mec1, sk1; default eu1)
 *
 * Either service may be left out. Exit code 0 when every call was made, 1 otherwise.
 */
import { configFromEnv } from './config';
import { formatReport, runLiveCheck } from './checks';

const parsed = configFromEnv(process.env);
if (!parsed.ok) {
  console.error(parsed.message);
  process.exit(2);
}
const report = await runLiveCheck(parsed.config, (input, init) => fetch(input, init));
console.log(formatReport(report));
process.exit(report.problems.length ? 1 : 0);
