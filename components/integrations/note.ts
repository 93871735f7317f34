/**
 * The reverse direction, in plain words (Mixpanel's CleverTap article, "CleverTap events into Mixpanel
 * & MTU exemptions", https://docs.mixpanel.com/docs/cohort-sync/integrations/clevertap; CleverTap's
 * "Mixpanel Export", https://docs.clevertap.com/docs/mixpanel-export).
 */
export const REVERSE_DIRECTION_TITLE = 'The other direction: CleverTap → Mixpanel';

export const REVERSE_DIRECTION_TEXT =
  'CleverTap can send campaign interaction events to Mixpanel. That is CleverTap’s own “Mixpanel Export” ' +
  'integration, set up in CleverTap, not part of this extension. Message delivery events do not count toward ' +
  'Mixpanel’s Monthly Tracked Users (MTU); message engagement events do.';

export const REVERSE_DIRECTION_LINK = 'https://docs.clevertap.com/docs/mixpanel-export';
