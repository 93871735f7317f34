/**
 * Sync settings: delivery mode, names, optional events, the notification email CleverTap's
 * custom-list segment needs, the removal safety threshold, the Mixpanel query budget and failure
 * notifications. Validated with SettingsSchema in the page; each problem shows next to its field.
 */
import { useState, type FormEvent } from 'react';
import type { Settings } from '../../lib/settings';
import { sendToBackground } from '../../lib/send';
import { DELIVERY_MODE_OPTIONS } from '../../lib/ui/labels';
import {
  draftFromSettings,
  validateSettingsDraft,
  type SettingsDraft,
  type SettingsErrors,
} from '../../lib/ui/settings-form';
import { Button } from '../ui/Button';
import { CheckboxField, RadioGroup, TextField } from '../ui/Field';
import { Notice } from '../ui/Notice';
import { useCommand } from '../ui/use-command';

/** The draft's fields that are typed as text. */
type TextDraftField = { [K in keyof SettingsDraft]: SettingsDraft[K] extends string ? K : never }[keyof SettingsDraft];

export function SettingsForm({ settings }: { settings: Settings }) {
  const [draft, setDraft] = useState<SettingsDraft>(() => draftFromSettings(settings));
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [saved, setSaved] = useState(false);
  const saving = useCommand();

  function set<K extends keyof SettingsDraft>(field: K, value: SettingsDraft[K]) {
    setDraft((current) => ({ ...current, [field]: value }));
    setSaved(false);
    if (errors[field]) setErrors((current) => ({ ...current, [field]: undefined }));
  }

  /** A text field's value, change handler and error, wired to the draft. */
  const bind = (field: TextDraftField) => ({
    value: draft[field],
    onChange: (value: string) => set(field, value),
    error: errors[field],
  });

  async function save(event: FormEvent) {
    event.preventDefault();
    saving.clearError();
    setSaved(false);
    const result = validateSettingsDraft(draft);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    const stored = await saving.run(() => sendToBackground({ type: 'settings.save', settings: result.settings }));
    if (!stored) return;
    setDraft(draftFromSettings(stored));
    setSaved(true);
  }

  // Fields of an unused delivery mode stay editable: a disabled field could hold an error no one can fix.
  const usesSegment = draft.deliveryMode !== 'property';
  const usesProperty = draft.deliveryMode !== 'segment';
  const invalidCount = Object.values(errors).filter(Boolean).length;

  return (
    <form className="cs-card cs-settings" onSubmit={(event) => void save(event)} noValidate>
      <div className="cs-settings__grid">
        <div>
          <RadioGroup
            legend="Delivery"
            name="deliveryMode"
            value={draft.deliveryMode}
            options={DELIVERY_MODE_OPTIONS}
            onChange={(value) => set('deliveryMode', value)}
            error={errors.deliveryMode}
          />
          <TextField
            label="Segment name prefix"
            hint={`The segment of a cohort “Churn risk” is called “${draft.segmentPrefix}Churn risk”.${usesSegment ? '' : ' Used by Segment delivery only.'}`}
            {...bind('segmentPrefix')}
          />
          <TextField
            label="Notification email of a CleverTap Admin"
            type="email"
            hint={`The e-mail of a CleverTap dashboard user with the Admin role: CleverTap refuses segment (custom list) uploads for any other address, and mails the result of each upload to it.${usesSegment ? ' Required for Segment delivery.' : ''}`}
            {...bind('notificationEmail')}
            autoComplete="email"
          />
          <TextField
            label="Property name"
            hint={`A multi-value profile property that lists the cohorts a user is in.${usesProperty ? '' : ' Used by Profile property delivery only.'}`}
            {...bind('propertyName')}
          />
          <CheckboxField
            label="Send an event when a user enters or leaves a cohort"
            hint="For journeys that start on cohort entry."
            checked={draft.eventsEnabled}
            onChange={(value) => set('eventsEnabled', value)}
          />
          <div className="cs-settings__pair">
            <TextField label="Added event" {...bind('eventAdded')} />
            <TextField label="Removed event" {...bind('eventRemoved')} />
          </div>
        </div>
        <div>
          <TextField
            label="Removal safety threshold (%)"
            hint="A run that would remove more than this share of the segment waits for your review."
            inputMode="decimal"
            {...bind('removalThresholdPercent')}
          />
          <div className="cs-settings__pair">
            <TextField
              label="Mixpanel queries per hour"
              hint="Mixpanel allows 60 an hour per project, shared with everything else that queries it."
              inputMode="numeric"
              {...bind('hourlyQueries')}
            />
            <TextField
              label="Concurrent queries"
              hint="Mixpanel allows 5."
              inputMode="numeric"
              {...bind('concurrentQueries')}
            />
          </div>
          <TextField
            label="Runs kept in history"
            inputMode="numeric"
            {...bind('historyLimit')}
          />
          <CheckboxField
            label="Notify me when a sync fails or pauses"
            hint="A browser notification with the reason."
            checked={draft.notifyOnFailure}
            onChange={(value) => set('notifyOnFailure', value)}
          />
        </div>
      </div>
      {invalidCount > 0 ? (
        <Notice tone="danger" title={invalidCount === 1 ? 'One setting needs a fix.' : `${invalidCount} settings need a fix.`} />
      ) : null}
      {saving.error ? <Notice tone="danger" title="The settings were not saved.">{saving.error}</Notice> : null}
      <div className="cs-actions cs-form__actions">
        <Button type="submit" variant="primary" busy={saving.busy}>
          Save settings
        </Button>
        <span role="status" className="cs-settings__saved">
          {saved ? '✓ Settings saved' : ''}
        </span>
      </div>
    </form>
  );
}
