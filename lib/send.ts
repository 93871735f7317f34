/** The one way pages and the content script talk to the background. */
import browser from 'webextension-polyfill';
import type { Message, MessageType, Replies, Reply } from './messages';

export class BackgroundError extends Error {
  override readonly name = 'BackgroundError';
}

export async function sendToBackground<T extends MessageType>(
  message: Extract<Message, { type: T }>,
): Promise<Replies[T]> {
  const reply = (await browser.runtime.sendMessage(message)) as Reply<Replies[T]> | undefined;
  if (!reply) throw new BackgroundError('The extension’s background did not answer. Reload the page and try again.');
  if (!reply.ok) throw new BackgroundError(reply.error);
  return reply.value;
}
