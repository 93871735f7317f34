/**
 * Asks the open Mixpanel tabs' content scripts for the last cohort "…" click's page report (its
 * structure only: lib/overlay/page-report.ts). The newest report wins.
 */
import browser from 'webextension-polyfill';
import type { TabMessage, TabReplies } from '../../lib/messages';
import { CONTENT_SCRIPT_MATCHES } from '../../lib/overlay/urls';

export type PageReport = NonNullable<TabReplies['overlay.report']['report']>;

export async function latestPageReport(): Promise<PageReport | null> {
  const tabs = await browser.tabs.query({ url: [...CONTENT_SCRIPT_MATCHES] });
  const message: TabMessage = { type: 'overlay.report' };
  const replies = await Promise.all(
    tabs.map(async (tab) => {
      if (tab.id === undefined) return null;
      try {
        return ((await browser.tabs.sendMessage(tab.id, message)) as TabReplies['overlay.report'] | undefined)?.report ?? null;
      } catch {
        return null; // a tab loaded before the extension, or being closed
      }
    }),
  );
  const reports = replies.filter((report): report is PageReport => report !== null);
  reports.sort((a, b) => b.at - a.at);
  return reports[0] ?? null;
}
