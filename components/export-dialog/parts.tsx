/**
 * The export dialog's pieces, each showing one thing it is given: no state of their own beyond
 * what the user is choosing, no messages. Buttons and notices are the shared UI kit's.
 */
import type { ReactNode } from 'react';
import type { Resolution } from '../../lib/cohorts';
import type { CohortPreview, ConnectionsView, SyncView } from '../../lib/messages';
import type { SyncType } from '../../lib/shapes';
import { MIXPANEL_REGIONS, type MixpanelRegion } from '../../lib/regions';
import { formatCount, totalSkipped } from '../../lib/ui/format';
import { Button } from '../ui/Button';
import { Notice } from '../ui/Notice';
import { statusDetail, statusTitle, SYNC_TYPE_LABELS } from './status';

const regionName = (region: MixpanelRegion) => MIXPANEL_REGIONS.find((candidate) => candidate.id === region)?.label ?? region;

/** Not connected, or connected to another project: the way out is the settings page. */
export function NeedsSettings({ children, onOpenOptions }: { children: ReactNode; onOpenOptions(): void }) {
  return (
    <Notice
      tone="warning"
      action={
        <Button size="sm" variant="ghost" onClick={onOpenOptions}>
          Open Cohort Sync settings
        </Button>
      }
    >
      <p>{children}</p>
    </Notice>
  );
}

/** Why this dialog cannot export from this page, or null when it can. */
export function connectionProblem(connections: ConnectionsView, projectId: number): ReactNode | null {
  const { clevertap, mixpanel } = connections;
  if (!clevertap || !mixpanel) {
    const missing = [!mixpanel && 'Mixpanel', !clevertap && 'CleverTap'].filter(Boolean).join(' and ');
    const both = !clevertap && !mixpanel;
    return `${missing} ${both ? 'are' : 'is'} not connected. Connect ${both ? 'them' : 'it'} in Cohort Sync’s settings to export cohorts to CleverTap.`;
  }
  if (mixpanel.projectId !== projectId) {
    return (
      `Cohort Sync is connected to Mixpanel project ${mixpanel.projectName ? `“${mixpanel.projectName}” ` : ''}(ID ` +
      `${mixpanel.projectId}), not to this project (ID ${projectId}).`
    );
  }
  return null;
}

export function RegionNote({ page, connected }: { page: MixpanelRegion | null; connected: MixpanelRegion }) {
  if (!page || page === connected) return null;
  return (
    <Notice tone="warning">
      This page is on Mixpanel’s {regionName(page)} host, but the connection uses {regionName(connected)}.
    </Notice>
  );
}

export function MissingCohort({ cohort, onCheckAgain }: { cohort: { id: number | null; name: string }; onCheckAgain(): void }) {
  return (
    <Notice
      tone="danger"
      action={
        <Button size="sm" variant="ghost" onClick={onCheckAgain}>
          Check again
        </Button>
      }
    >
      <p>
        {cohort.id !== null ? `No cohort with ID ${cohort.id}` : <>No cohort named “<bdi>{cohort.name}</bdi>”</>} was found in
        this project.
      </p>
    </Notice>
  );
}

/** Several cohorts share the page's name: the user says which. */
export function CohortChoice({
  name,
  resolution,
  chosenId,
  onChoose,
}: {
  name: string;
  resolution: Extract<Resolution, { kind: 'ambiguous' }>;
  chosenId: number | null;
  onChoose(cohortId: number): void;
}) {
  return (
    <fieldset>
      <legend>
        {resolution.candidates.length} cohorts are named “<bdi>{name}</bdi>”. Which one?
      </legend>
      {resolution.candidates.map((candidate) => (
        <label className="choice" key={candidate.id}>
          <input type="radio" name="cohort" checked={chosenId === candidate.id} onChange={() => onChoose(candidate.id)} />
          <span>
            ID {candidate.id} · {formatCount(candidate.count)} users
            {candidate.description && <small>{candidate.description}</small>}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

const SYNC_TYPE_HINTS: Record<SyncType, string> = {
  'one-time': 'Exports the users who are in the cohort now. The segment is not updated afterwards.',
  dynamic: 'Exports the cohort now and every fifteen minutes, so the segment follows the cohort.',
};

/** A cohort without a sync: its size, the preview, and One-time or Dynamic. */
export function NewSync({
  count,
  preview,
  onPreview,
  syncType,
  onSyncType,
}: {
  count: number;
  preview: CohortPreview | 'loading' | null;
  onPreview(): void;
  syncType: SyncType;
  onSyncType(type: SyncType): void;
}) {
  return (
    <>
      <p>
        <strong>{formatCount(count)}</strong> users are in this cohort. Only users whose profile carries{' '}
        <code>$CleverTap_user_id</code> are exported.
      </p>
      <PreviewBlock preview={preview} onAsk={onPreview} />
      <fieldset>
        <legend>Sync type</legend>
        {(['one-time', 'dynamic'] as const).map((type) => (
          <label className="choice" key={type}>
            <input type="radio" name="sync-type" checked={syncType === type} onChange={() => onSyncType(type)} />
            <span>
              {SYNC_TYPE_LABELS[type]}
              <small>{SYNC_TYPE_HINTS[type]}</small>
            </span>
          </label>
        ))}
      </fieldset>
      <p className="cs-muted">Each export overwrites the previous one: users who left the cohort leave the segment.</p>
    </>
  );
}

function PreviewBlock({ preview, onAsk }: { preview: CohortPreview | 'loading' | null; onAsk(): void }) {
  if (preview === null) return <Button onClick={onAsk}>Preview</Button>;
  if (preview === 'loading') {
    return (
      <p className="cs-muted" role="status">
        Reading the cohort’s members…
      </p>
    );
  }
  const skipped = totalSkipped(preview.skipped);
  return (
    <Notice tone="info">
      <p>
        Of {formatCount(preview.read)} members, <strong>{formatCount(preview.exportable)}</strong> carry{' '}
        <code>$CleverTap_user_id</code> and will be exported. {formatCount(skipped)} will be skipped{skipped > 0 ? ':' : '.'}
      </p>
      {skipped > 0 && (
        <ul>
          {preview.skipped.missingId > 0 && <li>{formatCount(preview.skipped.missingId)} have no $CleverTap_user_id</li>}
          {preview.skipped.invalidId > 0 && <li>{formatCount(preview.skipped.invalidId)} have an id CleverTap does not accept</li>}
          {preview.skipped.duplicateId > 0 && (
            <li>{formatCount(preview.skipped.duplicateId)} share their id with another member (exported once)</li>
          )}
        </ul>
      )}
    </Notice>
  );
}

/** The cohort's existing sync, in words (never colour alone). */
export function SyncStatusBlock({ sync }: { sync: SyncView }) {
  return (
    <div className="status" role="status" aria-live="polite">
      <strong>
        {SYNC_TYPE_LABELS[sync.type]}: {statusTitle(sync)}
      </strong>
      <span>{statusDetail(sync)}</span>
    </div>
  );
}
