/** The one way pages and the content script send commands to the background. */
import browser from 'webextension-polyfill';
import type { MessageOf, MessageType, Replies, Reply } from './messages';

export class BackgroundError extends Error {
  override readonly name = 'BackgroundError';
}

/** Sends `message` and answers what the background answers to its type (`Replies[type]`), or throws its refusal. */
export async function sendToBackground<T extends MessageType>(message: MessageOf<T>): Promise<Replies[T]> {
  const reply = (await browser.runtime.sendMessage(message)) as Reply<Replies[T]> | undefined;
  if (!reply) throw new BackgroundError('The extension’s background did not answer. Reload the page and try again.');
  if (!reply.ok) throw new BackgroundError(reply.error);
  return reply.value;
}
