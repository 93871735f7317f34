/**
 * Puts the CleverTap entry into the element the content script added to Mixpanel's destinations
 * list (inside a shadow root of its own: the page's CSS cannot reach it, nor ours the page), and
 * opens the Connect dialog over the page. Both go when their signal aborts or the content script
 * is invalidated (WXT ties each UI to `ctx`).
 */
import { createRoot, type Root } from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { EntryContext } from '../../lib/overlay/integrations';
import { appStore, connectAppStore } from '../../lib/ui/app-store';
import { ConnectDialog } from './ConnectDialog';
import { IntegrationEntry } from './IntegrationEntry';
import { CONNECT_DIALOG_CSS, ENTRY_CSS } from './styles';

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
    isolateEvents: true,
    css: ENTRY_CSS,
    onMount(container) {
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

let dialog: ShadowRootContentScriptUi<Root> | null = null;

export async function openConnectDialog(ctx: ContentScriptContext, done: () => void): Promise<void> {
  dialog?.remove();
  const ui = await createShadowRootUi<Root>(ctx, {
    name: 'cohort-sync-connect',
    position: 'modal',
    zIndex: 2147483647,
    isolateEvents: true,
    css: CONNECT_DIALOG_CSS,
    onMount(container) {
      const root = createRoot(container);
      const close = () => {
        ui.remove();
        if (dialog === ui) dialog = null;
        done();
      };
      root.render(<ConnectDialog onClose={close} />);
      return root;
    },
    onRemove(root) {
      root?.unmount();
    },
  });
  dialog = ui;
  ui.mount();
}
