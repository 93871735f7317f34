/**
 * The raw exchange for the two custom-list steps that do not answer with a JSON contract
 * (step 1 may answer "URL not generated, Please come back later" in any shape; step 2 talks to S3):
 * a status and the body text, with network and timeout failures already turned into ApiErrors.
 */
import { ApiError, parseRetryAfter } from '../http/errors';
import type { Fetch } from '../http/fetch-json';

export async function fetchText(
  fetch: Fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<{ status: number; ok: boolean; text: string; retryAfterMs?: number }> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return { status: response.status, ok: response.ok, text: await response.text(), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    throw timedOut
      ? new ApiError('clevertap', 'timeout', `the server did not answer within ${timeoutMs / 1000} s.`)
      : new ApiError('clevertap', 'network', 'the server could not be reached: check the network connection.');
  }
}

/** S3 error bodies are XML: `<Error><Code>SignatureDoesNotMatch</Code><Message>…</Message></Error>`. */
export function s3ErrorText(body: string): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return [code, message].filter(Boolean).join(': ');
}
