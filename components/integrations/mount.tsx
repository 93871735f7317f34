/**
 * Puts the CleverTap entry into the element the content script added to Mixpanel's destinations
 * list, and opens Connect CleverTap over the page. Both live in closed shadow roots that accept
 * only the user's own clicks and keys (the page can neither read them nor drive them); the Connect
 * form itself is an extension page in a frame, so the Passcode is never typed into the page's DOM.
 * Both go when their signal aborts or the content script is invalidated (WXT ties each UI to `ctx`).
 */
import browser from 'webextension-polyfill';
import { createRoot, type Root } from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createIframeUi } from 'wxt/utils/content-script-ui/iframe';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { EntryContext } from '../../lib/overlay/integrations';
import { appStore, connectAppStore } from '../../lib/ui/app-store';
import { acceptOnlyTrustedInput } from '../in-page/trusted-input';
import { CONNECT_FRAME_PAGE, CONNECT_FRAME_TITLE, readConnectFrameMessage } from './connect-frame';
import { IntegrationEntry } from './IntegrationEntry';
import { CONNECT_FRAME_HOST_CSS, ENTRY_CSS } from './styles';

let storeUsers = 0;
let stopStore: (() => void) | null = null;

/** One subscription to the background's state for all entries on the page. */
function holdStore(): () => void {
  if (storeUsers === 0) stopStore = connectAppStore(appStore);
  storeUsers += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    storeUsers -= 1;
    if (storeUsers === 0) {
      stopStore?.();
      stopStore = null;
    }
  };
}

export async function mountIntegrationEntry(
  ctx: ContentScriptContext,
  host: HTMLElement,
  context: EntryContext,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted || !host.isConnected) return;
  const release = holdStore();
  const ui = await createShadowRootUi<Root>(ctx, {
    name: 'cohort-sync-clevertap',
    position: 'inline',
    anchor: host,
    append: 'last',
    mode: 'closed',
    isolateEvents: true,
    css: ENTRY_CSS,
    onMount(container, shadow) {
      acceptOnlyTrustedInput(shadow);
      const root = createRoot(container);
      root.render(<IntegrationEntry projectId={context.projectId} onConnect={(done) => void openConnectDialog(ctx, done)} />);
      return root;
    },
    onRemove(root) {
      root?.unmount();
      release();
    },
  });
  if (signal.aborted || !host.isConnected) {
    release();
    return;
  }
  ui.mount();
  signal.addEventListener('abort', () => ui.remove(), { once: true });
}

let dialog: ShadowRootContentScriptUi<AbortController> | null = null;

/**
 * Frames the Connect CleverTap page over the Mixpanel page. The frame's `src` (a per-session URL
 * where the browser has them) stays inside the closed root; the frame answers only "connected" or
 * "cancelled", and only a message from that very frame and from our origin closes it.
 */
export async function openConnectDialog(ctx: ContentScriptContext, done: () => void): Promise<void> {
  dialog?.remove();
  const ours = new URL(browser.runtime.getURL('/')).origin;
  const ui = await createShadowRootUi<AbortController>(ctx, {
    name: 'cohort-sync-connect',
    position: 'modal',
    zIndex: 2147483647,
    mode: 'closed',
    isolateEvents: true,
    css: CONNECT_FRAME_HOST_CSS,
    onMount(container, shadow) {
      acceptOnlyTrustedInput(shadow);
      const listeners = new AbortController();
      const close = () => {
        ui.remove();
        if (dialog === ui) dialog = null;
        done();
      };
      const frame = createIframeUi(ctx, {
        page: CONNECT_FRAME_PAGE,
        position: 'inline',
        anchor: container,
        onBeforeMount(_wrapper, iframe) {
          iframe.title = CONNECT_FRAME_TITLE;
          iframe.className = 'frame';
        },
      });
      window.addEventListener(
        'message',
        (event) => {
          const fromOurFrame = event.source === frame.iframe.contentWindow;
          // Chrome reports the extension's own origin even for a frame loaded from its per-session URL.
          const fromUs = event.origin === ours || event.origin === new URL(frame.iframe.src).origin;
          if (!fromOurFrame || !fromUs) return;
          if (readConnectFrameMessage(event.data)) close();
        },
        { signal: listeners.signal },
      );
      // The frame closes itself on Escape; this one is for when focus is still in the page (the frame not loaded).
      window.addEventListener(
        'keydown',
        (event) => {
          if (event.key === 'Escape' && event.isTrusted) close();
        },
        { signal: listeners.signal },
      );
      frame.iframe.addEventListener('load', () => frame.iframe.focus(), { signal: listeners.signal });
      frame.mount();
      return listeners;
    },
    onRemove(listeners) {
      listeners?.abort();
    },
  });
  dialog = ui;
  ui.mount();
}
