// @vitest-environment happy-dom
/** A sync waiting behind another run: its place in line and when it starts, in the popup's row. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SyncView } from '../../../lib/messages';
import { makeSync, NOW } from './fixtures';
import { render, type Rendered } from './render';

vi.mock('../../../lib/send', () => ({ sendToBackground: vi.fn() }));
const { SyncRow } = await import('../../../components/syncs/SyncRow');
const { availableCommands } = await import('../../../lib/ui/sync-actions');

const queued = (place: number, etaAt?: number): SyncView =>
  makeSync(etaAt === undefined ? { state: 'queued', place } : { state: 'queued', place, etaAt });

let view: Rendered | undefined;
afterEach(() => {
  view?.unmount();
  view = undefined;
});

describe('a queued sync', () => {
  it('says how many runs are ahead and when it starts, and can be paused or stopped', () => {
    view = render(<SyncRow sync={queued(3, NOW + 6 * 60_000)} now={NOW} />);
    const text = view.container.textContent ?? '';
    expect(text).toContain('Queued');
    expect(text).toContain('2 runs ahead');
    expect(text).toContain('starts in 6 min');
    expect(availableCommands(queued(3))).toEqual(['sync.pause', 'sync.stop']);
  });

  it('says when it is next', () => {
    view = render(<SyncRow sync={queued(1)} now={NOW} />);
    expect(view.container.textContent).toContain('Next in line');
    expect(view.container.textContent).not.toContain('starts');
  });
});
