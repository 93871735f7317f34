/**
 * The seam between the always-loaded content script and the export dialog, which is a separate
 * script loaded on first use (React stays out of the content script). The dialog script registers
 * itself under this key in the content script's isolated world; nothing here reaches the page.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { CohortRef } from '../cohorts';
import type { EntryContext } from './integrations';

/** The dialog script's file, relative to the extension root (see entrypoints/export-dialog.ts). */
export const DIALOG_SCRIPT_PATH = '/export-dialog.js';

const DIALOG_REGISTRY_KEY = '__cohortSyncExportDialog@1';

export interface OpenDialogRequest {
  projectId: number;
  cohort: CohortRef;
  /** The Mixpanel host's data residency, to warn when it differs from the connected project's. */
  region: 'us' | 'eu' | 'in' | null;
  returnFocusTo: HTMLElement | null;
}

export interface ExportDialogModule {
  openExportDialog(ctx: ContentScriptContext, request: OpenDialogRequest): Promise<void>;
  /**
   * Renders the CleverTap entry of the Integrations / Destinations page into `host` (an element the
   * content script added to the page's list); everything it rendered goes when `signal` aborts.
   */
  mountIntegrationEntry(ctx: ContentScriptContext, host: HTMLElement, context: EntryContext, signal: AbortSignal): Promise<void>;
}

type Registry = Record<typeof DIALOG_REGISTRY_KEY, ExportDialogModule | undefined>;

export function registeredDialog(): ExportDialogModule | undefined {
  return (globalThis as unknown as Partial<Registry>)[DIALOG_REGISTRY_KEY];
}

export function registerDialog(module: ExportDialogModule): void {
  (globalThis as unknown as Partial<Registry>)[DIALOG_REGISTRY_KEY] = module;
}
