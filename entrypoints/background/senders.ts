/**
 * Who is talking to the background: one of our extension pages, the content script in the top
 * frame of a Mixpanel tab, or nobody we answer. Messages and the state port use the same policy.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import type { SenderKind } from '../../lib/messages';
import { MIXPANEL_HOSTS } from '../../lib/regions';

export function senderKind(sender: Runtime.MessageSender | undefined): SenderKind | undefined {
  if (!sender || sender.id !== browser.runtime.id || !sender.url || !URL.canParse(sender.url)) return undefined;
  const url = new URL(sender.url);
  // Scheme and host, not `origin`: URLs without a host (data:, blob:) all have the origin "null".
  const ours = new URL(browser.runtime.getURL('/'));
  if (url.protocol === ours.protocol && url.host === ours.host && url.host !== '') return 'extension-page';
  const fromMixpanel = url.protocol === 'https:' && (MIXPANEL_HOSTS as readonly string[]).includes(url.hostname);
  // Only the content script of a tab's top frame: the manifest injects nowhere else.
  const topFrame = sender.frameId === undefined || sender.frameId === 0;
  return sender.tab && fromMixpanel && topFrame ? 'mixpanel-tab' : undefined;
}
