// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { StateClient, StateSnapshot } from '../../../lib/state-client';
import { makeState, makeSync } from './fixtures';

const send = vi.hoisted(() => ({ sendToBackground: vi.fn() }));
vi.mock('../../../lib/send', () => send);

const { connectAppStore, createAppStore, runCommand } = await import('../../../lib/ui/app-store');
const { runSyncCommand, availableCommands, commandKey } = await import('../../../lib/ui/sync-actions');

/** A state client the test drives: what the background's port would deliver. */
function fakeClient() {
  const listeners = new Set<(snapshot: StateSnapshot) => void>();
  let last: StateSnapshot = { view: null, error: null };
  const client: StateClient = {
    subscribe(listener) {
      listeners.add(listener);
      if (last.view || last.error) listener(last);
      return () => listeners.delete(listener);
    },
    latest: () => last.view,
  };
  const push = (snapshot: StateSnapshot) => {
    last = snapshot;
    listeners.forEach((listener) => listener(snapshot));
  };
  return { client, push, listeners };
}

beforeEach(() => {
  send.sendToBackground.mockReset();
});

describe('app store', () => {
  it('follows every view the state client delivers, and stops with the returned function', () => {
    const { client, push, listeners } = fakeClient();
    const store = createAppStore();
    const stop = connectAppStore(store, client);
    expect(store.getState().state).toBeNull();
    const first = makeState([makeSync({ state: 'scheduled' })]);
    push({ view: first, error: null });
    expect(store.getState().state).toEqual(first);

    const running = makeState([makeSync({ state: 'running', phase: 'reading', done: 10, total: 100 })]);
    push({ view: running, error: null });
    expect(store.getState().state).toEqual(running);
    stop();
    expect(listeners.size).toBe(0);
    expect(send.sendToBackground).not.toHaveBeenCalled(); // state comes through the port, not by asking
  });

  it('says when the background does not answer, and keeps the last view on screen', () => {
    const { client, push } = fakeClient();
    const store = createAppStore();
    connectAppStore(store, client);
    const shown = makeState([makeSync({ state: 'paused', reason: 'x' })]);
    push({ view: shown, error: null });
    push({ view: shown, error: 'The extension’s background did not answer. Reload the page and try again.' });
    expect(store.getState().state).toEqual(shown);
    expect(store.getState().loadError).toContain('did not answer');
    push({ view: shown, error: null });
    expect(store.getState().loadError).toBeNull();
  });

  it('tracks commands in flight and their errors per key', async () => {
    const store = createAppStore();
    let finish: () => void = () => undefined;
    const pending = runCommand(store, 'k', () => new Promise<void>((resolve) => (finish = resolve)));
    expect(store.getState().pending).toEqual({ k: true });
    finish();
    await pending;
    expect(store.getState().pending).toEqual({});

    await runCommand(store, 'k', () => Promise.reject(new Error('Sync not found')));
    expect(store.getState().errors).toEqual({ k: 'Sync not found' });
    await runCommand(store, 'k', () => Promise.resolve(1));
    expect(store.getState().errors).toEqual({});
  });

  it('sends sync commands with the sync id', async () => {
    const store = createAppStore();
    send.sendToBackground.mockResolvedValue(makeSync({ state: 'paused', reason: 'Paused by you' }));
    await runSyncCommand(store, 'sync.pause', '1234:55');
    expect(send.sendToBackground).toHaveBeenCalledWith({ type: 'sync.pause', syncId: '1234:55' });
    expect(commandKey('sync.pause', '1234:55')).toBe('sync.pause:1234:55');
  });
});

describe('availableCommands', () => {
  it('offers what each state allows', () => {
    expect(availableCommands(makeSync({ state: 'scheduled' }))).toEqual(['sync.now', 'sync.pause', 'sync.stop']);
    expect(availableCommands(makeSync({ state: 'synced' }, { type: 'one-time' }))).toEqual(['sync.now', 'sync.stop']);
    expect(availableCommands(makeSync({ state: 'running', phase: 'reading', done: 0, total: 0 }))).toEqual(['sync.pause', 'sync.stop']);
    expect(availableCommands(makeSync({ state: 'paused', reason: 'x' }))).toEqual(['sync.resume', 'sync.stop']);
    expect(availableCommands(makeSync({ state: 'failed', reason: 'x' }))).toEqual(['sync.now', 'sync.stop']);
    expect(availableCommands(makeSync({ state: 'needs-review', reason: 'x', removals: 1, segmentSize: 2 }))).toEqual(['sync.stop']);
  });
});
