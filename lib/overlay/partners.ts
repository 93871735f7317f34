/**
 * Mixpanel's cohort-sync partners, as their names start an Integrations row, a Destinations card
 * or an entry of a cohort's "Export to..." panel ("Braze (Default)", "Segment (test_segment)").
 */
const NAMES =
  'airship|amplitude|appcues|bigquery|braze|chameleon|clevertap|customer\\.?io|facebook|flagship|google|hubspot|insider|intercom|iterable|klaviyo|leanplum|mailchimp|marketo|meta|moengage|onesignal|optimizely|salesforce|segment|sendgrid|snowflake|webhook|custom webhook';

/** A name that starts with a partner's, as a word. */
export const PARTNER = new RegExp(`^(?:${NAMES})\\b`, 'i');

/** A text that starts with a partner's name, maybe run together with what follows (`textContent`). */
export const PARTNER_PREFIX = new RegExp(`^(?:${NAMES})`, 'i');

/** "Partner (Connection)": how the native Export panel names a connection. */
export const CONNECTION_ENTRY = /^\S.{0,60}\s\([^()]{1,60}\)$/;
