import type { SyncView as Sync } from '../../lib/storage/progress';
import { SyncRow, type SyncRowProps } from './SyncRow';

/** Newest first; running and attention-needing syncs are not reordered, so rows do not jump. */
export function SyncList({
  syncs,
  now,
  variant,
  onViewHistory,
  label = 'Syncs',
}: {
  syncs: readonly Sync[];
  now: number;
  variant?: SyncRowProps['variant'];
  onViewHistory?: SyncRowProps['onViewHistory'];
  label?: string;
}) {
  const ordered = [...syncs].sort((a, b) => b.createdAt - a.createdAt);
  return (
    <ul className="cs-sync-list" aria-label={label}>
      {ordered.map((sync) => (
        <SyncRow key={sync.id} sync={sync} now={now} variant={variant} onViewHistory={onViewHistory} />
      ))}
    </ul>
  );
}
