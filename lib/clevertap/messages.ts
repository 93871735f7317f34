/**
 * User-facing wording for CleverTap failures. Every message names the region (a wrong region is the
 * commonest mistake) and none ever contains the passcode: server text is scrubbed before use.
 */
import { tidyServerText } from '../http/errors';
import { errorBodySchema } from './schemas';
import { regionLabel, type CleverTapRegion } from './regions';

export interface MessageContext {
  region: CleverTapRegion;
  passcode: string;
  /** What was being done, e.g. "Uploading profiles" or "Custom list, step 2 of 3 (uploading the file)". */
  action: string;
}

/** The server's own explanation, from a `{"status":"fail","error":…}` body or plain text. */
export function serverText(body: string, passcode: string): string {
  let text = body;
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(body));
    if (parsed.success) text = parsed.data.error;
  } catch {
    // not JSON: keep the raw text
  }
  return scrub(tidyServerText(text, 200), passcode);
}

/** Removes the passcode from any text, in case a server or proxy echoes request headers. */
export function scrub(text: string, passcode: string): string {
  return passcode.length >= 3 ? text.split(passcode).join('•••') : text;
}

export function describeCleverTapError(status: number, body: string, context: MessageContext): string {
  const where = regionLabel(context.region);
  const said = serverText(body, context.passcode);
  const detail = said ? ` CleverTap said: "${said}".` : '';
  if (status === 401) {
    return `CleverTap rejected the Project ID or Passcode (${where}). Check them in CleverTap under Settings → Project, and check the region.`;
  }
  if (status === 403) {
    return `${context.action} failed: CleverTap (${where}) does not allow this operation with this passcode.${detail}`;
  }
  if (status === 429) {
    return `${context.action} failed: CleverTap (${where}) is busy with too many concurrent requests.${detail}`;
  }
  if (status >= 500) {
    return `${context.action} failed: CleverTap (${where}) had a server error (HTTP ${status}).${detail}`;
  }
  return `${context.action} failed: CleverTap (${where}) rejected the request (HTTP ${status}).${detail}`;
}
