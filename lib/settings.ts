/**
 * Sync settings as they cross the boundary: the shape `settings.save` carries, the defaults, and
 * the form's wording for each rule (the options page shows these messages next to their fields).
 * Pages, the background and storage all take settings from here, so the wire, the form and the
 * stored copy cannot drift apart.
 */
import { z } from 'zod';

export const DELIVERY_MODES = ['segment', 'property', 'both'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

const eventName = z
  .string()
  .trim()
  .min(1, 'Give the event a name.')
  .max(512, 'CleverTap event names are at most 512 characters.');

export const SettingsSchema = z.object({
  deliveryMode: z.enum(DELIVERY_MODES),
  segmentPrefix: z.string().max(100, 'Keep the prefix under 100 characters.'),
  propertyName: z
    .string()
    .trim()
    .min(1, 'The property needs a name.')
    .max(120, 'CleverTap property names are at most 120 characters.'),
  events: z.object({ enabled: z.boolean(), added: eventName, removed: eventName }),
  /** CleverTap mails the result of each custom-list upload to this address; required for Segment delivery. */
  notificationEmail: z.union([z.literal(''), z.email('Enter an email address, like admin@example.com.')]),
  /** Share of the segment a run may remove before it waits for review. */
  removalThreshold: z.number().min(0.01, 'Use at least 1 %.').max(1, 'Use at most 100 %.'),
  queryBudget: z.object({
    hourly: z.number().int().min(1, 'Allow at least 1 query an hour.').max(60, 'Mixpanel allows 60 queries an hour.'),
    concurrent: z.number().int().min(1, 'Allow at least 1.').max(5, 'Mixpanel allows 5 concurrent queries.'),
  }),
  notifyOnFailure: z.boolean(),
  historyLimit: z.number().int().min(1).max(1000),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  deliveryMode: 'segment',
  segmentPrefix: 'Mixpanel: ',
  propertyName: 'Mixpanel Cohorts',
  events: { enabled: false, added: 'Mixpanel Cohort Entered', removed: 'Mixpanel Cohort Exited' },
  notificationEmail: '',
  removalThreshold: 0.5,
  queryBudget: { hourly: 50, concurrent: 3 },
  notifyOnFailure: true,
  historyLimit: 100,
};
