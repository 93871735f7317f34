import type { z } from 'zod';
import { ApiError, kindForStatus, parseRetryAfter, tidyServerText, type ApiService, type QueryLoad } from './errors';

export type Fetch = typeof fetch;

export interface JsonRequest<S extends z.ZodType> {
  service: ApiService;
  fetch: Fetch;
  url: string;
  init: RequestInit;
  schema: S;
  timeoutMs: number;
  /** Turns an error body into a user-facing message and, for 429s, the service's load figures. */
  describeError: (status: number, body: string) => { message: string; load?: QueryLoad };
}

/**
 * One HTTP exchange: network and timeout failures, non-2xx statuses and bodies that break the
 * contract all become an ApiError; a 2xx body is returned parsed by `schema`.
 */
export async function fetchJson<S extends z.ZodType>(request: JsonRequest<S>): Promise<z.infer<S>> {
  const { service } = request;
  let response: Response;
  let text: string;
  try {
    response = await request.fetch(request.url, {
      ...request.init,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    throw timedOut
      ? new ApiError(service, 'timeout', `${serviceName(service)} did not answer within ${request.timeoutMs / 1000} s.`)
      : new ApiError(service, 'network', `Could not reach ${serviceName(service)}: check the network connection.`);
  }
  if (!response.ok) {
    const { message, load } = request.describeError(response.status, text);
    const error = new ApiError(service, kindForStatus(response.status), message, response.status, load);
    error.retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw malformed(service, `the body is not JSON (${tidyServerText(text, 80) || 'empty'})`, response.status);
  }
  const parsed = request.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'body';
    throw malformed(service, `${where}: ${issue?.message ?? 'unexpected shape'}`, response.status);
  }
  return parsed.data;
}

function malformed(service: ApiService, detail: string, status: number): ApiError {
  return new ApiError(service, 'malformed', `${serviceName(service)} sent an unexpected answer: ${detail}.`, status);
}

export function serviceName(service: ApiService): string {
  return service === 'mixpanel' ? 'Mixpanel' : 'CleverTap';
}

export function basicAuth(username: string, secret: string): string {
  const bytes = new TextEncoder().encode(`${username}:${secret}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}
