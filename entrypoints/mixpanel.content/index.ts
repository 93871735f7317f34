/**
 * Inside Mixpanel: "Export to > CleverTap" on every cohort menu, and a CleverTap entry on the
 * Integrations / Destinations page. Wiring only: the DOM logic is in lib/overlay; the dialog and
 * the entry's UI are one separate script, loaded on first use (lib/overlay/dialog-contract.ts).
 * It also answers the options page's and the popup's `overlay.report` (lib/messages.ts): the last
 * cohort click's page report, structure only, for when no item of ours could be placed.
 * Fixture URLs: https://mixpanel.com/project/3187764/view/3699044/app/lexicon?ui=panel#cohorts
 *               https://eu.mixpanel.com/project/3187764/app/users#cohort_id=1003
 *               https://mixpanel.com/project/3187764/view/3699044/app/integrations
 *               https://eu.mixpanel.com/project/3187764/view/3699044/app/destinations
 */
import browser from 'webextension-polyfill';
import { defineContentScript } from 'wxt/utils/define-content-script';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import {
  DIALOG_SCRIPT_PATH,
  registeredDialog,
  type ExportDialogModule,
} from '../../lib/overlay/dialog-contract';
import { startIntegrations, type EntryContext } from '../../lib/overlay/integrations';
import type { TabReplies } from '../../lib/messages';
import { startOverlay, type ExportRequest } from '../../lib/overlay/overlay';
import { CONTENT_SCRIPT_MATCHES, regionFromUrl } from '../../lib/overlay/urls';

export default defineContentScript({
  matches: CONTENT_SCRIPT_MATCHES,
  runAt: 'document_idle',
  main(ctx) {
    const overlay = startOverlay({
      document,
      signal: ctx.signal,
      onExport: (request) => void openDialog(ctx, request),
    });
    const onMessage = (message: unknown, sender: browser.Runtime.MessageSender) => {
      if (sender.id !== browser.runtime.id || sender.tab) return undefined;
      // The shape of TabMessageSchema, checked by hand: zod stays out of the always-loaded script.
      if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== 'overlay.report') return undefined;
      const reply: TabReplies['overlay.report'] = { report: overlay.report };
      return Promise.resolve(reply);
    };
    browser.runtime.onMessage.addListener(onMessage);
    ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));
    startIntegrations({
      document,
      signal: ctx.signal,
      mount: (host, context, signal) => void mountEntry(ctx, host, context, signal),
    });
  },
});

let loading: Promise<ExportDialogModule> | null = null;

function loadDialog(): Promise<ExportDialogModule> {
  loading ??= (async () => {
    const url = browser.runtime.getURL(DIALOG_SCRIPT_PATH);
    await import(/* @vite-ignore */ url);
    const dialog = registeredDialog();
    if (!dialog) throw new Error(`The export dialog did not load from ${url}.`);
    return dialog;
  })();
  loading.catch(() => (loading = null));
  return loading;
}

async function openDialog(ctx: ContentScriptContext, request: ExportRequest): Promise<void> {
  if (ctx.isInvalid) return;
  try {
    const dialog = await loadDialog();
    await dialog.openExportDialog(ctx, { ...request, region: regionFromUrl(location.href) });
  } catch (error) {
    console.error('Cohort Sync: the export dialog could not open.', error);
  }
}

async function mountEntry(ctx: ContentScriptContext, host: HTMLElement, context: EntryContext, signal: AbortSignal): Promise<void> {
  try {
    const dialog = await loadDialog();
    if (ctx.isInvalid || signal.aborted) return;
    await dialog.mountIntegrationEntry(ctx, host, context, signal);
  } catch (error) {
    console.error('Cohort Sync: the CleverTap entry could not be shown.', error);
  }
}
