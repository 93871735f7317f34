// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppStateView as AppState } from '../../../lib/storage/progress';
import { makeState, makeSync } from './fixtures';

const send = vi.hoisted(() => ({ sendToBackground: vi.fn() }));
vi.mock('../../../lib/send', () => send);
const storage = vi.hoisted(() => ({
  listeners: [] as ((state: AppState) => void)[],
  readAppState: vi.fn(),
}));
vi.mock('../../../lib/storage/app-state', () => ({
  watchAppState: (listener: (state: AppState) => void) => {
    storage.listeners.push(listener);
    return () => storage.listeners.splice(storage.listeners.indexOf(listener), 1);
  },
  readAppState: storage.readAppState,
}));

const { connectAppStore, createAppStore, runCommand } = await import('../../../lib/ui/app-store');
const { runSyncCommand, availableCommands, commandKey } = await import('../../../lib/ui/sync-actions');

beforeEach(() => {
  send.sendToBackground.mockReset();
  storage.readAppState.mockReset();
  storage.listeners.length = 0;
});

describe('app store', () => {
  it('loads with state.get, then follows every write', async () => {
    const first = makeState([makeSync({ state: 'scheduled' })]);
    send.sendToBackground.mockResolvedValue(first);
    const store = createAppStore();
    const stop = connectAppStore(store);
    await vi.waitFor(() => expect(store.getState().state).toEqual(first));
    expect(send.sendToBackground).toHaveBeenCalledWith({ type: 'state.get' });

    const running = makeState([makeSync({ state: 'running', phase: 'reading', done: 10, total: 100 })]);
    storage.listeners.forEach((listener) => listener(running));
    expect(store.getState().state).toEqual(running);
    stop();
    expect(storage.listeners).toHaveLength(0);
  });

  it('keeps a newer watched state over an older state.get reply', async () => {
    let answer: (state: AppState) => void = () => undefined;
    send.sendToBackground.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const store = createAppStore();
    connectAppStore(store);
    const newer = makeState([makeSync({ state: 'synced' })]);
    storage.listeners.forEach((listener) => listener(newer));
    answer(makeState());
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.getState().state).toEqual(newer);
  });

  it('falls back to storage and says so when the background does not answer', async () => {
    send.sendToBackground.mockRejectedValue(new Error('The extension’s background did not answer.'));
    const stored = makeState([makeSync({ state: 'paused', reason: 'x' })]);
    storage.readAppState.mockResolvedValue(stored);
    const store = createAppStore();
    connectAppStore(store);
    await vi.waitFor(() => expect(store.getState().state).toEqual(stored));
    expect(store.getState().loadError).toContain('did not answer');
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
