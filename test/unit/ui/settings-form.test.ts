import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../lib/storage/schema';
import { draftFromSettings, fieldForPath, validateSettingsDraft } from '../../../lib/ui/settings-form';

const valid = { ...draftFromSettings(DEFAULT_SETTINGS), notificationEmail: 'admin@example.com' };

describe('settings form', () => {
  it('round-trips the defaults (threshold as a percent)', () => {
    expect(draftFromSettings(DEFAULT_SETTINGS).removalThresholdPercent).toBe('50');
    const result = validateSettingsDraft(valid);
    expect(result).toEqual({ ok: true, settings: { ...DEFAULT_SETTINGS, notificationEmail: 'admin@example.com' } });
  });

  it('maps schema paths to fields', () => {
    expect(fieldForPath(['queryBudget', 'hourly'])).toBe('hourlyQueries');
    expect(fieldForPath(['events', 'added'])).toBe('eventAdded');
    expect(fieldForPath(['removalThreshold'])).toBe('removalThresholdPercent');
    expect(fieldForPath(['nope'])).toBeUndefined();
  });

  it('puts each schema message on its field', () => {
    const result = validateSettingsDraft({
      ...valid,
      removalThresholdPercent: '150',
      hourlyQueries: '61',
      concurrentQueries: '0',
      notificationEmail: 'nope',
      propertyName: ' ',
      eventsEnabled: true,
      eventAdded: '',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      removalThresholdPercent: 'Use at most 100 %.',
      hourlyQueries: 'Mixpanel allows 60 queries an hour.',
      concurrentQueries: 'Allow at least 1.',
      notificationEmail: 'Enter an email address, like admin@example.com.',
      propertyName: 'The property needs a name.',
      eventAdded: 'Give the event a name.',
    });
  });

  it('says "Enter a number." for text in number fields', () => {
    const result = validateSettingsDraft({ ...valid, hourlyQueries: 'many', historyLimit: '' });
    expect(result).toMatchObject({ ok: false, errors: { hourlyQueries: 'Enter a number.', historyLimit: 'Enter a number.' } });
  });

  it('needs the notification email for Segment delivery only', () => {
    expect(validateSettingsDraft({ ...valid, notificationEmail: '' })).toMatchObject({
      ok: false,
      errors: { notificationEmail: expect.stringContaining('Segment delivery needs it') },
    });
    expect(validateSettingsDraft({ ...valid, deliveryMode: 'property', notificationEmail: '' }).ok).toBe(true);
  });

  it('ignores emptied event names while events are off', () => {
    const result = validateSettingsDraft({ ...valid, eventsEnabled: false, eventAdded: '' });
    expect(result).toMatchObject({ ok: true, settings: { events: { enabled: false, added: DEFAULT_SETTINGS.events.added } } });
  });

  it('accepts a decimal comma in the threshold', () => {
    expect(validateSettingsDraft({ ...valid, removalThresholdPercent: '12,5' })).toMatchObject({
      ok: true,
      settings: { removalThreshold: 0.125 },
    });
  });
});
