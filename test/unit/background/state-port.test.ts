/**
 * The state channel end to end in memory: the background's broadcaster and the pages' client,
 * joined by ports that behave like `runtime.Port` (disconnecting one end tells only the other).
 */
import type { Runtime } from 'webextension-polyfill';
import { describe, expect, it, vi } from 'vitest';
import { createStateBroadcaster, type StatePort } from '../../../entrypoints/background/state-port';
import { STATE_PORT, type StatePortMessage, type StateView } from '../../../lib/messages';
import { DEFAULT_SETTINGS } from '../../../lib/settings';
import { CONTEXT_GONE, NO_ANSWER, createStateClient, type StateClientPort, type StateSnapshot } from '../../../lib/state-client';

const PAGE: Runtime.MessageSender = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/popup.html' };
const STRANGER: Runtime.MessageSender = { id: 'other', url: 'https://evil.example/' };
const acceptOurs = (sender: Runtime.MessageSender | undefined) => (sender?.id === 'test-extension-id' ? 'extension-page' : undefined);

function view(cohortName: string): StateView {
  return {
    connections: { clevertap: null, mixpanel: null },
    settings: DEFAULT_SETTINGS,
    syncs: [{ id: '1:2', projectId: 1, cohortId: 2, cohortName, type: 'dynamic', createdAt: 1, status: { state: 'scheduled' } }],
  };
}

type Listener = (...args: never[]) => void;
function emitter() {
  const listeners: Listener[] = [];
  return {
    addListener: (listener: Listener) => listeners.push(listener),
    emit: (...args: unknown[]) => [...listeners].forEach((listener) => (listener as (...a: unknown[]) => void)(...args)),
  };
}

/** Two ends of one port; the background end's `sender` says who connected. As in the browser, a disconnect reaches the other end later, not during the call. */
function portPair(sender: Runtime.MessageSender) {
  let open = true;
  const clientDisconnect = emitter();
  const backgroundDisconnect = emitter();
  const clientMessage = emitter();
  const backgroundEnd: StatePort & { posted: StatePortMessage[] } = {
    name: STATE_PORT,
    sender,
    posted: [],
    postMessage(message) {
      if (!open) throw new Error('Attempting to use a disconnected port object');
      backgroundEnd.posted.push(message);
      clientMessage.emit(structuredClone(message));
    },
    disconnect() {
      if (!open) return;
      open = false;
      queueMicrotask(() => clientDisconnect.emit());
    },
    onDisconnect: backgroundDisconnect,
  };
  const clientEnd: StateClientPort & { open(): boolean } = {
    disconnect() {
      if (!open) return;
      open = false;
      queueMicrotask(() => backgroundDisconnect.emit());
    },
    onMessage: clientMessage,
    onDisconnect: clientDisconnect,
    open: () => open,
  };
  return { backgroundEnd, clientEnd };
}

/** A background worker whose current view the test sets; `stop()` is the MV3 worker going away. */
function worker(initial: StateView) {
  let current = initial;
  const ports: ReturnType<typeof portPair>[] = [];
  const broadcaster = createStateBroadcaster(async () => current, acceptOurs);
  return {
    broadcaster,
    ports,
    set(next: StateView) {
      current = next;
      broadcaster.changed();
    },
    connect(sender: Runtime.MessageSender = PAGE) {
      const pair = portPair(sender);
      ports.push(pair);
      broadcaster.connect(pair.backgroundEnd);
      return pair.clientEnd;
    },
    stop() {
      for (const { backgroundEnd } of ports) backgroundEnd.disconnect();
    },
  };
}

/** Timers that run at once: the client's waits are its own business, not the test's. */
const immediate = { setTimeout: (run: () => void) => queueMicrotask(run), clearTimeout: () => undefined };

function fakePage(state: 'visible' | 'hidden' = 'visible') {
  const change = emitter();
  return {
    visibilityState: state as DocumentVisibilityState,
    addEventListener: (_type: string, listener: () => void) => change.addListener(listener),
    removeEventListener: () => undefined,
    show() {
      this.visibilityState = 'visible';
      change.emit();
    },
  };
}

const names = (snapshots: StateSnapshot[]) => snapshots.map((snapshot) => snapshot.view?.syncs[0]?.cohortName ?? snapshot.error);

describe('state port', () => {
  it('sends the current view on connect and a new view after every change', async () => {
    const background = worker(view('first'));
    const client = createStateClient({ connect: () => background.connect(), document: fakePage() });
    const seen: StateSnapshot[] = [];
    client.subscribe((snapshot) => seen.push(snapshot));
    await background.broadcaster.settled();
    background.set(view('second'));
    await background.broadcaster.settled();
    expect(names(seen)).toEqual(['first', 'second']);
    expect(client.latest()?.syncs[0]?.cohortName).toBe('second');
  });

  it('sends only the newest view when changes arrive while one is being built', async () => {
    let current = view('v1');
    let builds = 0;
    const broadcaster = createStateBroadcaster(async () => {
      builds += 1;
      await Promise.resolve();
      return current;
    }, acceptOurs);
    const { backgroundEnd } = portPair(PAGE);
    broadcaster.connect(backgroundEnd);
    current = view('v2');
    broadcaster.changed();
    current = view('v3');
    broadcaster.changed();
    broadcaster.changed();
    await broadcaster.settled();
    const posted = backgroundEnd.posted.map((message) => message.view.syncs[0]?.cohortName);
    expect(posted.at(-1)).toBe('v3');
    expect(builds).toBeLessThanOrEqual(2);
  });

  it('cuts off a port from a sender the message policy refuses, and one not named for state', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const background = worker(view('x'));
    const refused = background.connect(STRANGER) as StateClientPort & { open(): boolean };
    expect(refused.open()).toBe(false);
    const other = portPair(PAGE);
    background.broadcaster.connect({ ...other.backgroundEnd, name: 'something-else' });
    await background.broadcaster.settled();
    expect(other.backgroundEnd.posted).toEqual([]);
    expect(background.ports[0]!.backgroundEnd.posted).toEqual([]);
    expect(warn).toHaveBeenCalledWith('Refused a state port', { sender: 'unknown' });
  });

  it('reconnects when the worker stops, and re-reads the state from the new worker', async () => {
    let background = worker(view('before the stop'));
    const connect = vi.fn(() => background.connect());
    const client = createStateClient({ connect, document: fakePage(), ...immediate });
    const seen: StateSnapshot[] = [];
    client.subscribe((snapshot) => seen.push(snapshot));
    await background.broadcaster.settled();

    const stopped = background;
    background = worker(view('after the stop')); // what the woken worker reads from storage
    stopped.stop();
    await vi.waitFor(() => expect(names(seen)).toEqual(['before the stop', 'after the stop']));
    expect(connect).toHaveBeenCalledTimes(2);
    background.set(view('later'));
    await background.broadcaster.settled();
    expect(client.latest()?.syncs[0]?.cohortName).toBe('later');
  });

  it('waits for a hidden page to be shown before waking the worker again', async () => {
    let background = worker(view('one'));
    const page = fakePage();
    const connect = vi.fn(() => background.connect());
    const timers: (() => void)[] = [];
    const client = createStateClient({ connect, document: page, setTimeout: (run) => timers.push(run), clearTimeout: () => undefined });
    client.subscribe(() => undefined);
    await background.broadcaster.settled();
    page.visibilityState = 'hidden';
    const stopped = background;
    background = worker(view('two'));
    stopped.stop();
    await vi.waitFor(() => expect(timers).toHaveLength(1)); // the client heard of the stop
    timers.shift()!();
    expect(connect).toHaveBeenCalledTimes(1);
    expect(client.latest()?.syncs[0]?.cohortName).toBe('one'); // the last view stays on screen
    page.show();
    await vi.waitFor(() => expect(client.latest()?.syncs[0]?.cohortName).toBe('two'));
    expect(connect).toHaveBeenCalledTimes(2);
  });

  it('says the background did not answer when a port closes before any view, and retries with back-off', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let sender = STRANGER;
    const background = worker(view('finally'));
    const timers: { ms: number; run(): void }[] = [];
    const client = createStateClient({
      connect: () => background.connect(sender),
      document: fakePage(),
      setTimeout: (run, ms) => timers.push({ ms, run }),
      clearTimeout: () => undefined,
    });
    const seen: StateSnapshot[] = [];
    client.subscribe((snapshot) => seen.push(snapshot));
    await vi.waitFor(() => expect(timers.map((timer) => timer.ms)).toEqual([1_000]));
    expect(seen.at(-1)).toEqual({ view: null, error: NO_ANSWER });
    timers.shift()!.run();
    await vi.waitFor(() => expect(timers.map((timer) => timer.ms)).toEqual([2_000]));
    sender = PAGE;
    timers.shift()!.run();
    await vi.waitFor(() => expect(seen.at(-1)?.view?.syncs[0]?.cohortName).toBe('finally'));
    expect(seen.at(-1)?.error).toBeNull();
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('stops for good when the extension was reloaded under the page', () => {
    const connect = vi.fn(() => {
      throw new Error('Extension context invalidated.');
    });
    const client = createStateClient({ connect, document: fakePage() });
    const seen: StateSnapshot[] = [];
    client.subscribe((snapshot) => seen.push(snapshot));
    expect(seen).toEqual([{ view: null, error: CONTEXT_GONE }]);
    client.subscribe(() => undefined);
    expect(connect).toHaveBeenCalledTimes(1);
  });

  it('shares one port between subscribers and closes it with the last one', async () => {
    const background = worker(view('shared'));
    const connect = vi.fn(() => background.connect());
    const client = createStateClient({ connect, document: fakePage() });
    const first = client.subscribe(() => undefined);
    await background.broadcaster.settled();
    const late: StateSnapshot[] = [];
    const second = client.subscribe((snapshot) => late.push(snapshot));
    expect(names(late)).toEqual(['shared']); // a late subscriber gets the latest view at once
    first();
    second();
    expect(connect).toHaveBeenCalledTimes(1);
    expect((background.ports[0]!.backgroundEnd as unknown as { posted: unknown[] }).posted).toHaveLength(1);
    background.set(view('after close'));
    await background.broadcaster.settled();
    expect(background.ports[0]!.backgroundEnd.posted).toHaveLength(1);
  });
});
