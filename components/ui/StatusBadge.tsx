import type { SyncStatus } from '../../lib/storage/schema';
import { STATUS_LABEL } from '../../lib/ui/labels';
import { Tag, type Tone } from './Tag';

const TONE: Record<SyncStatus['state'], Tone> = {
  scheduled: 'neutral',
  running: 'info',
  synced: 'success',
  paused: 'warning',
  failed: 'danger',
  'needs-review': 'accent',
};

/** A glyph per state too, so the state never rests on colour alone. */
const ICON: Record<SyncStatus['state'], string> = {
  scheduled: '◷',
  running: '↻',
  synced: '✓',
  paused: '❚❚',
  failed: '!',
  'needs-review': '?',
};

export function StatusBadge({ state }: { state: SyncStatus['state'] }) {
  return (
    <Tag tone={TONE[state]} icon={ICON[state]}>
      {STATUS_LABEL[state]}
    </Tag>
  );
}
