/**
 * The background's side of the state client (lib/state-client.ts): pages connect a port named
 * STATE_PORT; a sender the message policy does not know is cut off at once; every accepted port
 * gets the current view, then a new view after every change. Views are built one at a time and a
 * change during a build triggers one more, so the last view sent is always the newest.
 */
import type { Runtime } from 'webextension-polyfill';
import { STATE_PORT, type SenderKind, type StatePortMessage, type StateView } from '../../lib/messages';

/** What the broadcaster needs of a `runtime.Port`. */
export interface StatePort {
  name: string;
  sender?: Runtime.MessageSender;
  postMessage(message: StatePortMessage): void;
  disconnect(): void;
  onDisconnect: { addListener(listener: () => void): void };
}

export interface StateBroadcaster {
  /** For `runtime.onConnect`: takes the ports named for state, ignores the others. */
  connect(port: StatePort): void;
  /** Something a view shows changed: send every page a new view. */
  changed(): void;
  /** Resolves once every view asked for so far is sent (for tests and orderly shutdown). */
  settled(): Promise<void>;
}

export function createStateBroadcaster(
  readView: () => Promise<StateView>,
  senderKind: (sender: Runtime.MessageSender | undefined) => SenderKind | undefined,
): StateBroadcaster {
  const ports = new Set<StatePort>();
  /** Ports still waiting for their first view. */
  const newcomers = new Set<StatePort>();
  let everyone = false;
  let sending: Promise<void> | null = null;

  const post = (port: StatePort, view: StateView) => {
    try {
      port.postMessage({ type: 'state', view });
    } catch {
      ports.delete(port); // the page went away between the build and the send
    }
  };

  /** One view at a time: a view sent later was always read later. */
  const send = () => {
    sending ??= (async () => {
      while (everyone || newcomers.size > 0) {
        const targets = everyone ? [...ports] : [...newcomers];
        everyone = false;
        newcomers.clear();
        try {
          const view = await readView();
          for (const port of targets) if (ports.has(port)) post(port, view);
        } catch (error) {
          console.warn('Could not build the state view', error instanceof Error ? error.message : 'unknown error');
        }
      }
    })().finally(() => (sending = null));
  };

  return {
    connect(port) {
      if (port.name !== STATE_PORT) return;
      if (!senderKind(port.sender)) {
        console.warn('Refused a state port', { sender: 'unknown' });
        port.disconnect();
        return;
      }
      ports.add(port);
      newcomers.add(port);
      port.onDisconnect.addListener(() => {
        ports.delete(port);
        newcomers.delete(port);
      });
      send();
    },
    changed() {
      if (ports.size === 0) return;
      everyone = true;
      send();
    },
    async settled() {
      while (sending) await sending;
    },
  };
}
