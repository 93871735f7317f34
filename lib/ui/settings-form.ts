/**
 * The settings form's text fields ⇄ Settings, validated with SettingsSchema, each problem keyed by
 * the field it belongs to so the page can say it next to that field.
 */
import { DEFAULT_SETTINGS, SettingsSchema, type DeliveryMode, type Settings } from '../settings';

export interface SettingsDraft {
  deliveryMode: DeliveryMode;
  segmentPrefix: string;
  propertyName: string;
  eventsEnabled: boolean;
  eventAdded: string;
  eventRemoved: string;
  notificationEmail: string;
  /** Percent, 1–100, as typed. */
  removalThresholdPercent: string;
  hourlyQueries: string;
  concurrentQueries: string;
  notifyOnFailure: boolean;
  historyLimit: string;
}

export type SettingsField = keyof SettingsDraft;
export type SettingsErrors = Partial<Record<SettingsField, string>>;

export function draftFromSettings(settings: Settings): SettingsDraft {
  return {
    deliveryMode: settings.deliveryMode,
    segmentPrefix: settings.segmentPrefix,
    propertyName: settings.propertyName,
    eventsEnabled: settings.events.enabled,
    eventAdded: settings.events.added,
    eventRemoved: settings.events.removed,
    notificationEmail: settings.notificationEmail,
    removalThresholdPercent: String(Math.round(settings.removalThreshold * 1000) / 10),
    hourlyQueries: String(settings.queryBudget.hourly),
    concurrentQueries: String(settings.queryBudget.concurrent),
    notifyOnFailure: settings.notifyOnFailure,
    historyLimit: String(settings.historyLimit),
  };
}

/** A schema path (issue.path) to the form field that shows its message. */
const FIELD_FOR_PATH: Record<string, SettingsField> = {
  deliveryMode: 'deliveryMode',
  segmentPrefix: 'segmentPrefix',
  propertyName: 'propertyName',
  'events.enabled': 'eventsEnabled',
  'events.added': 'eventAdded',
  'events.removed': 'eventRemoved',
  notificationEmail: 'notificationEmail',
  removalThreshold: 'removalThresholdPercent',
  'queryBudget.hourly': 'hourlyQueries',
  'queryBudget.concurrent': 'concurrentQueries',
  notifyOnFailure: 'notifyOnFailure',
  historyLimit: 'historyLimit',
};

export function fieldForPath(path: readonly PropertyKey[]): SettingsField | undefined {
  return FIELD_FOR_PATH[path.map(String).join('.')];
}

function parseNumber(text: string): number {
  const trimmed = text.trim().replace(',', '.');
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

const NUMBER_FIELDS: readonly SettingsField[] = [
  'removalThresholdPercent',
  'hourlyQueries',
  'concurrentQueries',
  'historyLimit',
];

export type SettingsValidation = { ok: true; settings: Settings } | { ok: false; errors: SettingsErrors };

export function validateSettingsDraft(draft: SettingsDraft): SettingsValidation {
  const errors: SettingsErrors = {};
  for (const field of NUMBER_FIELDS) {
    if (!Number.isFinite(parseNumber(draft[field] as string))) errors[field] = 'Enter a number.';
  }
  const candidate = {
    deliveryMode: draft.deliveryMode,
    segmentPrefix: draft.segmentPrefix,
    propertyName: draft.propertyName,
    events: {
      enabled: draft.eventsEnabled,
      // Names only matter when the events are on; an emptied name falls back to the default then.
      added: draft.eventsEnabled || draft.eventAdded.trim() ? draft.eventAdded : DEFAULT_SETTINGS.events.added,
      removed: draft.eventsEnabled || draft.eventRemoved.trim() ? draft.eventRemoved : DEFAULT_SETTINGS.events.removed,
    },
    notificationEmail: draft.notificationEmail.trim(),
    removalThreshold: parseNumber(draft.removalThresholdPercent) / 100,
    queryBudget: {
      hourly: parseNumber(draft.hourlyQueries),
      concurrent: parseNumber(draft.concurrentQueries),
    },
    notifyOnFailure: draft.notifyOnFailure,
    historyLimit: parseNumber(draft.historyLimit),
  };
  const parsed = SettingsSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldForPath(issue.path);
      if (!field || errors[field]) continue;
      errors[field] = issue.code === 'invalid_type' ? 'Enter a number.' : issue.message;
    }
  }
  if (draft.deliveryMode !== 'property' && draft.notificationEmail.trim() === '' && !errors.notificationEmail) {
    errors.notificationEmail = 'CleverTap mails the result of each segment upload to this address; Segment delivery needs it.';
  }
  if (!parsed.success || Object.keys(errors).length > 0) {
    return { ok: false, errors: Object.keys(errors).length ? errors : { deliveryMode: 'Check the settings.' } };
  }
  return { ok: true, settings: parsed.data };
}
