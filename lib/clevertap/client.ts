/**
 * CleverTap's server API as the sync engine needs it: upsert profiles and events (`/1/upload`),
 * replace a custom-list segment (3 steps), and a harmless credential check. Every failure is an
 * ApiError whose message names the region and the step, and never contains the passcode.
 */
import type { z } from 'zod';
import { forEachConcurrent } from '../http/concurrency';
import { ApiError, isApiError, kindForStatus, type ApiErrorKind } from '../http/errors';
import { fetchJson, type Fetch } from '../http/fetch-json';
import { abortableWait, DEFAULT_RETRY, sleep, withRetry, type RetryPolicy } from '../http/retry';
import type { Rejection } from '../shapes';
import { customListCsv } from './csv';
import { describeCleverTapError, scrub, serverText } from './messages';
import { CLEVERTAP_REGIONS, regionHost, regionLabel, type CleverTapRegion } from './regions';
import { mapRejections } from './rejections';
import {
  customListCompletedAnswerSchema,
  customListUrlResponseSchema,
  uploadAnswerSchema,
  type CleverTapErrorBody,
} from './schemas';
import { fetchText, s3ErrorText } from './transport';

/** "A maximum of 1000 user profile records can be sent per API call" (https://developer.clevertap.com/docs/upload-user-profiles-api). */
const MAX_BATCH_SIZE = 1000;
/** "Concurrent requests to the Upload User Profiles API are limited to 15 per account" (same page). */
const DEFAULT_CONCURRENCY = 15;
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface CleverTapCredentials {
  /** The Project ID (Account ID). */
  accountId: string;
  passcode: string;
  region: CleverTapRegion;
}

export interface CleverTapClientOptions {
  fetch?: Fetch;
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** Upload batches in flight at once; CleverTap allows 15 per account. */
  concurrency?: number;
  /** Records per upload request, at most 1000. */
  batchSize?: number;
  /** Called once for every HTTP request sent (retries and probes included). */
  onRequest?: () => void;
}

export interface UploadOptions {
  signal?: AbortSignal;
}

export interface UploadResult {
  processed: number;
  rejected: Rejection[];
  /** HTTP requests this call made, retries included. */
  requests: number;
}

export interface ProfileRecord {
  identity: string;
  profileData: Record<string, unknown>;
}

export interface EventRecord {
  identity: string;
  evtName: string;
  evtData: Record<string, unknown>;
}

export interface CustomListInput {
  /** Segment name; the same name is replaced on every export. */
  name: string;
  /** Admin email CleverTap reports the processing result to. */
  email: string;
  creator: string;
  /** Identities (CleverTap `identity`, not CleverTap IDs), already checked with checkIdentity. */
  identities: Iterable<string> | AsyncIterable<string>;
  /** The file of `identities`, when the caller built it ahead (customListCsv), e.g. while profiles upload. */
  file?: Promise<CustomListFile>;
}

export interface CustomListFile {
  blob: Blob;
  rows: number;
}

export interface CustomListOptions {
  signal?: AbortSignal;
  /**
   * Must settle before the upload is completed (step 3), e.g. a check that new profiles are visible;
   * it runs alongside steps 1 and 2, which name no profile. If it fails, step 3 is not sent.
   */
  beforeComplete?: () => Promise<void>;
}

export interface CustomListResult {
  segmentId: number;
  requests: number;
  /** Rows written to the CSV file. */
  rows: number;
}

export type CredentialCheck =
  | { ok: true }
  | { ok: false; reason: 'bad-credentials' | 'wrong-region' | 'network'; answeredRegion?: CleverTapRegion; message: string };

interface Counter {
  requests: number;
}

/** Refused by CleverTap per record (no event name), so a credential probe that carries it writes nothing. */
const PROBE_RECORD = { type: 'event', identity: 'cohort-sync-credential-check', evtName: '', evtData: {} };

/** Failures whose generic message does not say what was being done. */
const WRAPPED_KINDS: ReadonlySet<ApiErrorKind> = new Set(['malformed', 'network', 'timeout']);

const STEP_URL = 'Custom list, step 1 of 3 (getting an upload URL)';
const STEP_PUT = 'Custom list, step 2 of 3 (uploading the file)';
const STEP_DONE = 'Custom list, step 3 of 3 (completing the upload)';

export class CleverTapClient {
  private readonly fetch: Fetch;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly batchSize: number;
  private readonly onRequest: () => void;

  constructor(
    private readonly credentials: CleverTapCredentials,
    options: CleverTapClientOptions = {},
  ) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
    this.batchSize = Math.min(MAX_BATCH_SIZE, Math.max(1, Math.floor(options.batchSize ?? MAX_BATCH_SIZE)));
    this.onRequest = options.onRequest ?? (() => {});
  }

  get region(): CleverTapRegion {
    return this.credentials.region;
  }

  /** Creates or updates profiles; a record CleverTap refuses comes back in `rejected`, never lost. */
  uploadProfiles(records: readonly ProfileRecord[], options: UploadOptions = {}): Promise<UploadResult> {
    return this.upload(
      records,
      (record) => ({ type: 'profile', identity: record.identity, profileData: record.profileData }),
      'Uploading profiles',
      options,
    );
  }

  /** Raises one event per record on the user's profile (e.g. "added to cohort"). */
  uploadEvents(records: readonly EventRecord[], options: UploadOptions = {}): Promise<UploadResult> {
    return this.upload(
      records,
      (record) => ({ type: 'event', identity: record.identity, evtName: record.evtName, evtData: record.evtData }),
      'Uploading events',
      options,
    );
  }

  /**
   * Replaces the custom-list segment `name` with exactly `identities`
   * (https://developer.clevertap.com/docs/custom-list-endpoints): get a
   * pre-signed S3 URL, PUT the CSV there, tell CleverTap the upload is complete with `replace: true`.
   * CleverTap processes the file asynchronously and only qualifies profiles that already exist.
   */
  async replaceCustomListSegment(input: CustomListInput, options: CustomListOptions = {}): Promise<CustomListResult> {
    const counter: Counter = { requests: 0 };
    // Steps 1 and 2 stop at once if the caller's check fails: the file is not completed anyway.
    const steps = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, steps.signal]) : steps.signal;
    const uploaded = (async () => {
      const file = input.file ?? customListCsv(input.identities);
      file.catch(() => undefined);
      // The URL names nothing in the file: asked for while the file is still being written.
      const url = await this.customListUrl(counter, signal);
      const { blob, rows } = await file;
      await this.putCustomList(url, blob, counter, signal);
      return { url, rows };
    })();
    const checked = (options.beforeComplete?.() ?? Promise.resolve()).catch((error: unknown) => {
      steps.abort(error);
      throw error;
    });
    // Whichever fails first is the error; the other's outcome is then of no interest.
    uploaded.catch(() => undefined);
    checked.catch(() => undefined);
    const [{ url, rows }] = await Promise.all([uploaded, checked]);
    const segmentId = await this.completeCustomList(input, url, counter, options.signal);
    return { segmentId, requests: counter.requests, rows };
  }

  /**
   * A harmless check of Project ID, Passcode and region.
   *
   * Choice: `POST /1/upload?dryRun=1` with an empty `d`, not `GET /v1/connect?partner=…`. The connect
   * API is documented for registered partners only, its answers are unknown and we are no partner;
   * the upload endpoint is the one the sync actually uses and its 401 ("Account ID is not valid") is
   * recorded. With an empty `d`, nothing can be written even if a server ignored the undocumented
   * `dryRun`; a 400 (the body judged before the credentials) is asked again with a record CleverTap
   * refuses by itself. Only the HTTP status is interpreted: 2xx = accepted, 403 = not allowed,
   * 5xx = try later, anything else = rejected. After a rejection, the other regions are asked in
   * parallel: valid credentials on the wrong regional host also get 401 (not stated by CleverTap;
   * secondary sources: api-evangelist/clevertap authentication/clevertap-authentication.yml).
   */
  async checkCredentials(): Promise<CredentialCheck> {
    const here = regionLabel(this.region);
    const first = await this.probe(this.region);
    if (first.outcome === 'accepted') return { ok: true };
    if (first.outcome === 'network') {
      return { ok: false, reason: 'network', message: `Could not reach CleverTap (${here}): check the network connection.` };
    }
    if (first.outcome === 'server') {
      return {
        ok: false,
        reason: 'network',
        message: `CleverTap (${here}) is not answering properly (HTTP ${first.status}). Try again in a few minutes.`,
      };
    }
    if (first.outcome === 'forbidden') {
      return {
        ok: false,
        reason: 'bad-credentials',
        message: `CleverTap (${here}) accepted the Project ID but this Passcode may not upload profiles. Check the passcode in CleverTap under Settings → Project.`,
      };
    }
    const others = CLEVERTAP_REGIONS.map((region) => region.id).filter((region) => region !== this.region);
    const answers = await Promise.all(others.map((region) => this.probe(region)));
    const answeredRegion = others.find((_, index) => answers[index]?.outcome === 'accepted');
    if (answeredRegion) {
      const there = regionLabel(answeredRegion);
      return {
        ok: false,
        reason: 'wrong-region',
        answeredRegion,
        message: `This Project ID and Passcode belong to CleverTap's ${there} region, not ${here}. Choose ${there} as the region.`,
      };
    }
    return { ok: false, reason: 'bad-credentials', message: this.describe(401, '', 'Checking the connection') };
  }

  /**
   * Waits until CleverTap shows a profile for each identity (`GET /1/profile.json`), checking again
   * after growing pauses; returns those still missing at the end. A read CleverTap does not allow
   * (403, 404) settles nothing and ends the wait, so an account without that API is not held up.
   */
  async awaitProfiles(identities: readonly string[], options: { signal?: AbortSignal } = {}): Promise<string[]> {
    let missing = [...identities];
    const wait = this.retry.sleep ?? sleep;
    for (let round = 0; missing.length > 0; round++) {
      const seen = await this.profilesSeen(missing, options.signal);
      if (seen === 'unknown') return [];
      missing = missing.filter((identity) => !seen.has(identity));
      if (missing.length === 0 || round >= PROFILE_WAIT_MS.length) break;
      await abortableWait(wait, PROFILE_WAIT_MS[round]!, options.signal);
    }
    return missing;
  }

  private async profilesSeen(identities: readonly string[], signal?: AbortSignal): Promise<Set<string> | 'unknown'> {
    const seen = new Set<string>();
    let unknown = false;
    const counter: Counter = { requests: 0 };
    // CleverTap allows 3 concurrent profile reads per account.
    await forEachConcurrent(identities, 3, async (identity) => {
      const url = `${this.base()}/1/profile.json?identity=${encodeURIComponent(identity)}`;
      const answer = await this.retrying(signal, async () => {
        const reply = await this.step('Checking new profiles', () =>
          fetchText(this.counting(counter, signal), url, { method: 'GET', headers: this.headers() }, this.timeoutMs),
        );
        if (reply.status === 429 || reply.status >= 500 || reply.status === 401) {
          const error = new ApiError('clevertap', kindForStatus(reply.status), this.describe(reply.status, reply.text, 'Checking new profiles'), reply.status);
          error.retryAfterMs = reply.retryAfterMs;
          throw error;
        }
        return reply;
      });
      if (answer.status === 403 || answer.status === 404) unknown = true;
      else if (profileFound(answer.text)) seen.add(identity);
    });
    return unknown ? 'unknown' : seen;
  }

  // --- uploads ---------------------------------------------------------------------------------

  private async upload<R extends { identity: string }>(
    records: readonly R[],
    toWire: (record: R) => Record<string, unknown>,
    action: string,
    options: UploadOptions,
  ): Promise<UploadResult> {
    const counter: Counter = { requests: 0 };
    const result: UploadResult = { processed: 0, rejected: [], requests: 0 };
    const url = `${this.base()}/1/upload`;
    await forEachConcurrent(batches(records, this.batchSize), this.concurrency, async (batch) => {
      const body = JSON.stringify({ d: batch.map(toWire) });
      const answer = await this.sendJson(
        { url, init: { method: 'POST', headers: this.headers(), body }, schema: uploadAnswerSchema, action },
        counter,
        options.signal,
        (parsed) => {
          if (!('processed' in parsed)) throw this.failBody(parsed, action);
          if (parsed.status === 'fail' && parsed.unprocessed.length === 0 && batch.length > 0) {
            throw new ApiError('clevertap', 'malformed', `${action} failed: CleverTap reported a failure without naming any record.`, 200);
          }
          return parsed;
        },
      );
      result.processed += answer.processed;
      result.rejected.push(...mapRejections(batch, answer.unprocessed));
    });
    result.requests = counter.requests;
    return result;
  }

  // --- custom list -----------------------------------------------------------------------------

  private customListUrl(counter: Counter, signal?: AbortSignal): Promise<string> {
    const url = `${this.base()}/get_custom_list_segment_url`;
    return this.retrying(signal, async () => {
      const answer = await this.step(STEP_URL, () =>
        fetchText(this.counting(counter, signal), url, { method: 'POST', headers: this.headers() }, this.timeoutMs),
      );
      if (answer.status === 401 || answer.status === 403) {
        throw new ApiError('clevertap', kindForStatus(answer.status), this.describe(answer.status, answer.text, STEP_URL), answer.status);
      }
      let json: unknown;
      try {
        json = answer.ok ? JSON.parse(answer.text) : undefined;
      } catch {
        json = undefined;
      }
      const parsed = customListUrlResponseSchema.safeParse(json);
      if (parsed.success) return parsed.data.presignedS3URL;
      // Any other answer, including "URL not generated, Please come back later", is worth a retry.
      const said = serverText(answer.text, this.credentials.passcode) || `HTTP ${answer.status}`;
      const kind: ApiErrorKind = answer.status === 429 ? 'rate-limit' : 'server';
      const error = new ApiError(
        'clevertap',
        kind,
        `${STEP_URL} failed: CleverTap (${regionLabel(this.region)}) said "${said}".`,
        answer.status,
      );
      error.retryAfterMs = answer.retryAfterMs;
      throw error;
    });
  }

  private putCustomList(url: string, blob: Blob, counter: Counter, signal?: AbortSignal): Promise<void> {
    // The pre-signed URL carries its own authorisation: no CleverTap headers go to the storage host.
    return this.retrying(signal, async () => {
      const answer = await this.step(STEP_PUT, () =>
        fetchText(this.counting(counter, signal), url, { method: 'PUT', body: blob, headers: { 'Content-Type': 'text/csv' } }, this.timeoutMs * 5),
      );
      if (answer.ok) return;
      const said = scrub(s3ErrorText(answer.text), this.credentials.passcode);
      throw new ApiError(
        'clevertap',
        kindForStatus(answer.status),
        `${STEP_PUT} failed: the storage server ${new URL(url).host} answered HTTP ${answer.status}${said ? ` (${said})` : ''}.`,
        answer.status,
      );
    });
  }

  private async completeCustomList(input: CustomListInput, url: string, counter: Counter, signal?: AbortSignal): Promise<number> {
    const body = JSON.stringify({
      name: input.name,
      email: input.email,
      filename: customListFilename(url, input.name),
      creator: input.creator,
      url,
      replace: true,
    });
    try {
      return await this.sendJson(
        {
          url: `${this.base()}/upload_custom_list_segment_completed`,
          init: { method: 'POST', headers: this.headers(), body },
          schema: customListCompletedAnswerSchema,
          action: STEP_DONE,
        },
        counter,
        signal,
        (parsed) => {
          if (!('Segment ID' in parsed)) throw this.failBody(parsed, STEP_DONE);
          return parsed['Segment ID'];
        },
      );
    } catch (error) {
      throw explainCompletionRefusal(error, input);
    }
  }

  // --- credential probe ------------------------------------------------------------------------

  private async probe(
    region: CleverTapRegion,
  ): Promise<{ outcome: 'accepted' | 'rejected' | 'forbidden' | 'network' } | { outcome: 'server'; status: number }> {
    try {
      let status = await this.probeStatus(region, []);
      // A 400 may mean the empty body was checked before the credentials (undocumented order): ask
      // again with one record CleverTap refuses on its own (an event without a name, code 509), so
      // the body is valid, the credentials are what decides, and nothing can be written.
      if (status === 400) status = await this.probeStatus(region, [PROBE_RECORD]);
      if (status >= 200 && status < 300) return { outcome: 'accepted' };
      if (status === 403) return { outcome: 'forbidden' };
      if (status >= 500) return { outcome: 'server', status };
      return { outcome: 'rejected' };
    } catch {
      return { outcome: 'network' };
    }
  }

  private async probeStatus(region: CleverTapRegion, records: unknown[]): Promise<number> {
    this.onRequest();
    const response = await this.fetch(`https://${regionHost(region)}/1/upload?dryRun=1`, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({ d: records }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await response.body?.cancel();
    return response.status;
  }

  // --- plumbing --------------------------------------------------------------------------------

  private base(): string {
    return `https://${regionHost(this.region)}`;
  }

  private headers(): Record<string, string> {
    return {
      'X-CleverTap-Account-Id': this.credentials.accountId,
      'X-CleverTap-Passcode': this.credentials.passcode,
      'Content-Type': 'application/json',
    };
  }

  private describe(status: number, body: string, action: string): string {
    return describeCleverTapError(status, body, { region: this.region, passcode: this.credentials.passcode, action });
  }

  /** A 200 whose body is `{"status":"fail","error":…,"code":…}`: an error of the kind its code says. */
  private failBody(body: CleverTapErrorBody, action: string): ApiError {
    const code = body.code !== undefined && body.code >= 400 && body.code < 600 ? body.code : 400;
    return new ApiError('clevertap', kindForStatus(code), this.describe(code, JSON.stringify(body), action), code);
  }

  /** A fetch that counts each request and also stops when the caller's signal aborts. */
  private counting(counter: Counter, signal?: AbortSignal): Fetch {
    return (input, init) => {
      counter.requests++;
      this.onRequest();
      const signals = [init?.signal, signal].filter((candidate): candidate is AbortSignal => !!candidate);
      return this.fetch(input, { ...init, signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0] });
    };
  }

  /** withRetry, except that an aborted call stops at once with the abort reason. */
  private retrying<T>(signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
    return withRetry(async () => {
      signal?.throwIfAborted();
      try {
        return await task();
      } catch (error) {
        signal?.throwIfAborted();
        throw error;
      }
    }, this.retry, signal);
  }

  /** Gives network, timeout and contract failures the name of the step they happened in. */
  private async step<T>(action: string, task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (error) {
      if (isApiError(error) && WRAPPED_KINDS.has(error.kind)) {
        const message = `${action} failed (${regionLabel(this.region)}): ${error.message}`;
        throw new ApiError('clevertap', error.kind, message, error.status, error.load);
      }
      throw error;
    }
  }

  private sendJson<S extends z.ZodType, T>(
    request: { url: string; init: RequestInit; schema: S; action: string },
    counter: Counter,
    signal: AbortSignal | undefined,
    interpret: (parsed: z.infer<S>) => T,
  ): Promise<T> {
    return this.retrying(signal, () =>
      this.step(request.action, async () => {
        const parsed = await fetchJson({
          service: 'clevertap',
          fetch: this.counting(counter, signal),
          url: request.url,
          init: request.init,
          schema: request.schema,
          timeoutMs: this.timeoutMs,
          describeError: (status, body) => ({ message: this.describe(status, body, request.action) }),
        });
        return interpret(parsed);
      }),
    );
  }
}

/** Step 3 refused (not for credentials, load or an outage): say what the user can do about it. */
function explainCompletionRefusal(error: unknown, input: CustomListInput): unknown {
  if (!isApiError(error) || error.retryable || error.kind === 'auth' || error.kind === 'malformed') return error;
  const said = /CleverTap said: "(.*)"\.$/.exec(error.message)?.[1];
  const quote = said ? ` CleverTap said: "${said}".` : '';
  if (said && /campaign|journey|in use/i.test(said)) {
    return new ApiError(
      'clevertap',
      'segment-in-use',
      `CleverTap will not replace the segment “${input.name}” while a running campaign or journey uses it. Stop or pause that campaign or journey in CleverTap (or point it at another segment), then resume this sync.${quote}`,
      error.status,
    );
  }
  return new ApiError(
    'clevertap',
    error.kind,
    `${STEP_DONE} failed: CleverTap refused to complete the segment “${input.name}”. CleverTap requires the notification e-mail (${input.email}) to belong to a CleverTap dashboard user with the Admin role: change it under Sync settings, or make that user an Admin in CleverTap, then resume.${quote}`,
    error.status,
  );
}

/** Pauses between profile checks: about 90 s in all. */
const PROFILE_WAIT_MS = [1000, 2000, 4000, 8000, 15_000, 30_000, 30_000];

/** `{"status":"success","record":{…}}` when CleverTap holds the profile; anything else means not (yet). */
function profileFound(text: string): boolean {
  try {
    const body = JSON.parse(text) as { status?: unknown; record?: unknown };
    return body.status === 'success' && typeof body.record === 'object' && body.record !== null;
  } catch {
    return false;
  }
}

function* batches<T>(records: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < records.length; start += size) yield records.slice(start, start + size);
}

/** `cohort-sync-<segment>-<file id>.csv`, the file id taken from the pre-signed URL's path. */
function customListFilename(url: string, name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'segment';
  const file = new URL(url).pathname.split('/').pop()?.replace(/\.csv$/i, '') ?? '';
  return `cohort-sync-${slug}${file ? `-${file.slice(0, 40)}` : ''}.csv`;
}
