/**
 * Shows the export dialog in a closed shadow root over the Mixpanel page: the page's CSS and
 * scripts cannot reach into it, and it acts only on the user's own clicks and keys (a page script's
 * synthetic events are dropped). One dialog at a time; focus returns to the "…" button on close.
 * Removed with everything else when the content script is invalidated (WXT ties the UI to `ctx`).
 */
import { createRoot, type Root } from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { acceptOnlyTrustedInput } from '../in-page/trusted-input';
import type { OpenDialogRequest } from '../../lib/overlay/dialog-contract';
import { ExportDialog } from './ExportDialog';
import { EXPORT_DIALOG_CSS } from './styles';

let current: ShadowRootContentScriptUi<Root> | null = null;

export async function openExportDialog(ctx: ContentScriptContext, request: OpenDialogRequest): Promise<void> {
  current?.remove();
  const ui = await createShadowRootUi<Root>(ctx, {
    name: 'cohort-sync-dialog',
    position: 'modal',
    zIndex: 2147483647,
    mode: 'closed',
    isolateEvents: true,
    css: EXPORT_DIALOG_CSS,
    onMount(container, shadow) {
      acceptOnlyTrustedInput(shadow);
      const host = document.createElement('div');
      container.append(host);
      const root = createRoot(host);
      const listeners = new AbortController();
      const close = () => {
        listeners.abort();
        ui.remove();
        if (current === ui) current = null;
        if (request.returnFocusTo?.isConnected) request.returnFocusTo.focus();
      };
      // Escape also when focus has left the dialog (e.g. the button that was pressed went away).
      window.addEventListener(
        'keydown',
        (event) => {
          if (event.key === 'Escape' && event.isTrusted) close();
        },
        { signal: listeners.signal },
      );
      ctx.onInvalidated(() => listeners.abort());
      root.render(
        <ExportDialog projectId={request.projectId} cohort={request.cohort} region={request.region} onClose={close} />,
      );
      return root;
    },
    onRemove(root) {
      root?.unmount();
    },
  });
  current = ui;
  ui.mount();
}
