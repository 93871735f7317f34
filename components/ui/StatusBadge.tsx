import type { SyncState } from '../../lib/messages';
import { STATUS_LABEL } from '../../lib/ui/labels';
import { Tag, type Tone } from './Tag';

const TONE: Record<SyncState, Tone> = {
  scheduled: 'neutral',
  queued: 'neutral',
  running: 'info',
  synced: 'success',
  paused: 'warning',
  failed: 'danger',
  'needs-review': 'accent',
};

/** A glyph per state too, so the state never rests on colour alone. */
const ICON: Record<SyncState, string> = {
  scheduled: '◷',
  queued: '⋯',
  running: '↻',
  synced: '✓',
  paused: '❚❚',
  failed: '!',
  'needs-review': '?',
};

export function StatusBadge({ state }: { state: SyncState }) {
  return (
    <Tag tone={TONE[state]} icon={ICON[state]}>
      {STATUS_LABEL[state]}
    </Tag>
  );
}
