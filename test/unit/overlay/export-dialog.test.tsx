// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExportDialog } from '../../../components/export-dialog/ExportDialog';
import type { Message, StateView, SyncView } from '../../../lib/messages';
import { DEFAULT_SETTINGS } from '../../../lib/settings';
import type { StateSnapshot } from '../../../lib/state-client';
import { FIXTURE_COHORTS } from '../../fixtures/mixpanel/cohorts';

const send = vi.hoisted(() => vi.fn());
vi.mock('../../../lib/send', () => ({ sendToBackground: send }));
/** The state client as the background's port drives it: the test pushes each new view. */
const live = vi.hoisted(() => {
  const listeners = new Set<(snapshot: StateSnapshot) => void>();
  let view: StateView | null = null;
  return {
    listeners,
    set(next: StateView) {
      view = next;
      listeners.forEach((listener) => listener({ view: next, error: null }));
    },
    current: () => view,
    reset() {
      view = null;
      listeners.clear();
    },
    client: {
      subscribe(listener: (snapshot: StateSnapshot) => void) {
        listeners.add(listener);
        if (view) listener({ view, error: null });
        return () => listeners.delete(listener);
      },
      latest: () => view,
    },
  };
});
vi.mock('../../../lib/state-client', () => ({ stateClient: live.client }));

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const CONNECTED: StateView['connections'] = {
  clevertap: { accountId: 'TEST-123', region: 'eu1', connectedAt: 1 },
  mixpanel: { username: 'sa', projectId: 3187764, region: 'us', connectedAt: 1 },
};

/**
 * The background: answers messages, and like the real one sends a new view after a command
 * changed the state (unless `pushViews` is off, to see what the dialog shows before it arrives).
 */
function backend(state: Partial<StateView> = {}, { pushViews = true } = {}) {
  const full: StateView = { connections: CONNECTED, settings: DEFAULT_SETTINGS, syncs: [], ...state };
  live.set(full);
  const change = (syncs: SyncView[]) => {
    if (pushViews) setTimeout(() => act(() => live.set({ ...live.current()!, syncs })), 0);
  };
  send.mockImplementation(async (message: Message) => {
    switch (message.type) {
      case 'cohorts.list':
        return { cohorts: FIXTURE_COHORTS.map(({ id, name, count, description }) => ({ id, name, count, description })), fetchedAt: 1 };
      case 'cohort.preview':
        return { cohortId: message.cohortId, read: 1200, exportable: 1000, skipped: { missingId: 150, invalidId: 30, duplicateId: 20 } };
      case 'sync.start': {
        const started = sync({ cohortId: message.cohortId, cohortName: message.cohortName, type: message.syncType });
        change([...live.current()!.syncs.filter((existing) => existing.id !== started.id), started]);
        return started;
      }
      case 'sync.now':
        return full.syncs[0];
      case 'sync.stop':
        change(live.current()!.syncs.filter((existing) => existing.id !== message.syncId));
        return null;
      default:
        return null;
    }
  });
}

function sync(partial: Partial<SyncView> = {}): SyncView {
  return {
    id: `3187764:${partial.cohortId ?? 1003}`,
    projectId: 3187764,
    cohortId: 1003,
    cohortName: 'Trial ending this week',
    type: 'dynamic',
    createdAt: 1,
    status: { state: 'scheduled' },
    ...partial,
  };
}

let container: HTMLDivElement;
let root: Root;
let onClose: ReturnType<typeof vi.fn<() => void>>;

async function render(cohort: { id: number | null; name: string }) {
  onClose = vi.fn<() => void>();
  await act(async () => {
    root.render(<ExportDialog projectId={3187764} cohort={cohort} region="us" onClose={onClose} />);
  });
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

const text = () => container.textContent ?? '';
const button = (label: string) =>
  Array.from(container.querySelectorAll('button')).find((candidate) => candidate.textContent?.trim() === label);
const click = async (element: Element | undefined) => {
  if (!element) throw new Error('nothing to click');
  await act(async () => {
    (element as HTMLElement).click();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
};

beforeEach(() => {
  send.mockReset();
  live.reset();
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

describe('ExportDialog', () => {
  it('starts a dynamic sync for the cohort resolved by name', async () => {
    backend();
    await render({ id: null, name: 'Trial ending this week' });
    expect(container.querySelector('[role="dialog"]')?.getAttribute('aria-modal')).toBe('true');
    expect(text()).toContain('Export to CleverTap');
    expect(text()).toContain('(ID 1003)');
    expect(text()).toContain(`${FIXTURE_COHORTS[2]!.count.toLocaleString('en-US')} users are in this cohort`);
    expect(text()).toContain('One-time sync');
    const dynamic = Array.from(container.querySelectorAll('label')).find((label) =>
      label.textContent?.includes('Dynamic sync (every 15 minutes)'),
    )!;
    await click(dynamic.querySelector('input')!);
    await click(button('Start Sync'));
    expect(send).toHaveBeenCalledWith({ type: 'sync.start', cohortId: 1003, cohortName: 'Trial ending this week', syncType: 'dynamic' });
    expect(text()).toContain('Dynamic sync (every 15 minutes): Scheduled');
    expect(button('Sync now')).toBeDefined();
  });

  it('shows a started sync when the background’s next view has it, not from the command’s reply', async () => {
    backend({}, { pushViews: false });
    await render({ id: 1003, name: 'Trial ending this week' });
    await click(button('Start Sync'));
    expect(text()).toContain('One-time sync started.');
    expect(text()).not.toContain('One-time sync: Scheduled');
    await act(async () => live.set({ ...live.current()!, syncs: [sync({ type: 'one-time' })] }));
    expect(text()).toContain('One-time sync: Scheduled');
    expect(button('Start Sync')).toBeUndefined();
    await act(async () =>
      live.set({ ...live.current()!, syncs: [sync({ type: 'one-time', status: { state: 'running', phase: 'reading', done: 250, total: 1000 } })] }),
    );
    expect(text()).toContain('One-time sync: Running');
    expect(text()).toContain('(250 of 1,000)');
    expect(button('Sync now')?.disabled).toBe(true);
  });

  it('shows a queued sync’s place in line', async () => {
    backend({ syncs: [sync({ status: { state: 'queued', place: 2 } })] });
    await render({ id: 1003, name: 'Trial ending this week' });
    expect(text()).toContain('Dynamic sync (every 15 minutes): Queued');
    expect(text()).toContain('Waiting for 1 other export to finish first');
  });

  it('says why when the background cannot be reached', async () => {
    await render({ id: 1003, name: 'Trial ending this week' });
    expect(text()).toContain('Loading…');
    await act(async () => live.listeners.forEach((listener) => listener({ view: null, error: 'The extension’s background did not answer.' })));
    expect(text()).toContain('The extension’s background did not answer.');
    expect(button('Close')).toBeDefined();
  });

  it('previews how many members carry $CleverTap_user_id and why others are skipped', async () => {
    backend();
    await render({ id: 1001, name: 'Power users' });
    await click(button('Preview'));
    expect(send).toHaveBeenCalledWith({ type: 'cohort.preview', cohortId: 1001 });
    expect(text()).toContain('Of 1,200 members, 1,000 carry $CleverTap_user_id and will be exported. 200 will be skipped');
    expect(text()).toContain('150 have no $CleverTap_user_id');
    expect(text()).toContain('30 have an id CleverTap does not accept');
    expect(text()).toContain('20 share their id');
  });

  it('shows an existing sync’s status with Sync now and Stop sync instead of a second sync', async () => {
    backend({ syncs: [sync({ status: { state: 'paused', reason: 'CleverTap rejected the passcode (401).' } })] });
    await render({ id: 1003, name: 'Trial ending this week' });
    expect(text()).toContain('Dynamic sync (every 15 minutes): Paused');
    expect(text()).toContain('CleverTap rejected the passcode (401).');
    expect(button('Start Sync')).toBeUndefined();
    await click(button('Sync now'));
    expect(send).toHaveBeenCalledWith({ type: 'sync.now', syncId: '3187764:1003' });
    await click(button('Stop sync'));
    expect(send).toHaveBeenCalledWith({ type: 'sync.stop', syncId: '3187764:1003' });
    expect(button('Start Sync')).toBeDefined();
  });

  it('says what is not connected and links to the options page', async () => {
    backend({ connections: { ...CONNECTED, clevertap: null } });
    await render({ id: 1001, name: 'Power users' });
    expect(text()).toContain('CleverTap is not connected');
    expect(button('Start Sync')).toBeUndefined();
    await click(button('Open Cohort Sync settings'));
    expect(send).toHaveBeenCalledWith({ type: 'options.open', section: 'connections' });
    expect(send).not.toHaveBeenCalledWith(expect.objectContaining({ type: 'cohorts.list' }));
  });

  it('warns when the page belongs to another project than the connected one', async () => {
    backend({ connections: { ...CONNECTED, mixpanel: { ...CONNECTED.mixpanel!, projectId: 42 } } });
    await render({ id: 1001, name: 'Power users' });
    expect(text()).toContain('not to this project (ID 3187764)');
  });

  it('asks which cohort when two share the name', async () => {
    backend();
    await render({ id: null, name: 'Churn risk' });
    expect(text()).toContain('2 cohorts are named “Churn risk”. Which one?');
    expect(button('Start Sync')?.disabled).toBe(true);
    const second = Array.from(container.querySelectorAll('label')).find((label) => label.textContent?.includes('ID 1006'))!;
    await click(second.querySelector('input')!);
    await click(button('Start Sync'));
    expect(send).toHaveBeenCalledWith(expect.objectContaining({ type: 'sync.start', cohortId: 1006, syncType: 'one-time' }));
  });

  it('renders a cohort name containing HTML as text', async () => {
    backend();
    await render({ id: null, name: '<b>VIP</b> & "friends"' });
    expect(container.querySelector('b')).toBeNull();
    expect(text()).toContain('Cohort: <b>VIP</b> & "friends"');
  });

  it('closes on Escape and on a click outside, and keeps Tab inside', async () => {
    backend();
    await render({ id: 1001, name: 'Power users' });
    const dialog = container.querySelector('[role="dialog"]')!;
    const focusables = Array.from(dialog.querySelectorAll<HTMLElement>('button:not([disabled]),input'));
    focusables[focusables.length - 1]!.focus();
    await act(async () => {
      dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }));
    });
    expect(document.activeElement).toBe(focusables[0]);
    await act(async () => {
      dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(onClose).toHaveBeenCalledTimes(1);
    await act(async () => {
      container.querySelector('.backdrop')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    });
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});
