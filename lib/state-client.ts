/**
 * The one way pages (popup, options, the Connect frame, and inside Mixpanel tabs the export
 * dialog and the Integrations entry) get the background's state: a `runtime.connect` port named
 * STATE_PORT. The background sends the current view when the port connects and a new one after
 * every change, so nothing here reads storage.
 *
 * An MV3 worker that stops closes the port. A port that delivered a view is reopened a second
 * later (connecting wakes the worker, which sends the view again; nothing changes while it is
 * stopped, so nothing is missed), but only while the page is visible: a hidden tab waits until it
 * is shown, so a forgotten tab does not keep waking the worker. A port closed before any view (the
 * background refused it or could not start) is retried with back-off.
 */
import browser from 'webextension-polyfill';
import { STATE_PORT, type StatePortMessage, type StateView } from './messages';

/** What the client needs of a `runtime.Port`. */
export interface StateClientPort {
  postMessage?(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export interface StateSnapshot {
  /** The latest view, kept while a reconnect is under way. */
  view: StateView | null;
  /** Why no view could be had, while that lasts. */
  error: string | null;
}

export interface StateClient {
  /** Calls `listener` with the current snapshot now (if any view arrived) and after every change. */
  subscribe(listener: (snapshot: StateSnapshot) => void): () => void;
  latest(): StateView | null;
}

/** What the client needs of `document`. */
export interface PageVisibility {
  readonly visibilityState: string;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

export interface StateClientOptions {
  connect?: () => StateClientPort;
  /** The page, for its visibility; none (tests, workers) counts as always visible. */
  document?: PageVisibility;
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

export const NO_ANSWER = 'The extension’s background did not answer. Reload the page and try again.';
export const CONTEXT_GONE = 'Cohort Sync was updated or reloaded. Reload this page to see the syncs again.';
const FIRST_RETRY_MS = 1_000;
/** After the worker stopped: long enough not to restart it in the middle of its own shutdown. */
const RECONNECT_MS = 1_000;
const MAX_RETRY_MS = 30_000;

function isStateMessage(message: unknown): message is StatePortMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'state' && 'view' in message;
}

export function createStateClient(options: StateClientOptions = {}): StateClient {
  const connectPort = options.connect ?? (() => browser.runtime.connect({ name: STATE_PORT }));
  const page = options.document ?? (typeof document === 'undefined' ? undefined : document);
  const schedule = options.setTimeout ?? ((callback, ms) => setTimeout(callback, ms));
  const cancel = options.clearTimeout ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));

  const listeners = new Set<(snapshot: StateSnapshot) => void>();
  let snapshot: StateSnapshot = { view: null, error: null };
  let port: StateClientPort | null = null;
  let retryMs = FIRST_RETRY_MS;
  let retry: unknown = null;
  let waitingForVisible = false;
  let gone = false;

  const publish = (next: StateSnapshot) => {
    snapshot = next;
    for (const listener of [...listeners]) listener(snapshot);
  };

  const visible = () => !page || page.visibilityState !== 'hidden';

  const onVisible = () => {
    if (!visible() || !waitingForVisible) return;
    waitingForVisible = false;
    open();
  };

  function open(): void {
    if (port || gone || listeners.size === 0) return;
    let opened: StateClientPort;
    try {
      opened = connectPort();
    } catch {
      // The extension was reloaded or updated: this page's runtime is gone for good.
      gone = true;
      publish({ ...snapshot, error: CONTEXT_GONE });
      return;
    }
    port = opened;
    let answered = false;
    opened.onMessage.addListener((message) => {
      if (port !== opened || !isStateMessage(message)) return;
      answered = true;
      retryMs = FIRST_RETRY_MS;
      publish({ view: message.view, error: null });
    });
    opened.onDisconnect.addListener(() => {
      if (port !== opened) return;
      port = null;
      if (listeners.size === 0) return;
      if (answered) {
        retry = schedule(() => {
          retry = null;
          if (visible()) open();
          else waitingForVisible = true;
        }, RECONNECT_MS);
        return;
      }
      publish({ ...snapshot, error: NO_ANSWER });
      retry = schedule(() => {
        retry = null;
        open();
      }, retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    });
  }

  function close(): void {
    if (retry !== null) cancel(retry);
    retry = null;
    waitingForVisible = false;
    const closing = port;
    port = null;
    closing?.disconnect();
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (snapshot.view || snapshot.error) listener(snapshot);
      if (listeners.size === 1) {
        page?.addEventListener('visibilitychange', onVisible);
        open();
      }
      return () => {
        if (!listeners.delete(listener) || listeners.size > 0) return;
        page?.removeEventListener('visibilitychange', onVisible);
        close();
      };
    },
    latest: () => snapshot.view,
  };
}

/** The page's one client: every part of a page shares its port. */
export const stateClient = createStateClient();
