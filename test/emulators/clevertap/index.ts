/**
 * CleverTap emulator: the server API CleverTap documents (https://developer.clevertap.com/docs/upload-user-profiles-api,
 * https://developer.clevertap.com/docs/custom-list-endpoints, https://developer.clevertap.com/docs/api-errors)
 * on every regional API host (https://developer.clevertap.com/docs/common-api-components), plus
 * the S3 host that receives custom-list files. Tests drive it in-process (accounts, latency, faults,
 * counters, inspection); a browser or demo user can look at https://api.clevertap.com/__emulator/.
 *
 * Choices where the docs are silent (each marked "emulator choice" below):
 * - `/1/upload` with an empty `d` answers 200 success, processed 0 (the client's credential check
 *   relies only on the 401 coming first, which holds either way).
 * - a request over 1000 records → 400 `{"status":"fail","error":"Max 1000 are allowed","code":400}`
 *   (wording borrowed from the delete API's "Max 100 are allowed").
 * - `duplicate_name` and other completion failures answer HTTP 200 with a fail body, as CleverTap
 *   does for many failures; a completion whose file is malformed answers success and the segment
 *   keeps its last good version while an email reports the failure (the documented "silent failure").
 * - custom lists are processed synchronously; `/v1/connect` answers 200 `{"status":"success"}`.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { completedBodyProblem, readCsvRecords, REGION_HOSTS, type EmulatedRegion } from './contract';
import { FaultPlan, answerWithin, applyFault, type Fault } from '../faults';
import type { Emulator, EmulatorRequest } from '../hub';
import { renderStatePage } from './html';
import { createPresigner, s3Error } from './presign';
import { applyProfileData, type Properties } from './profile-ops';
import { checkRecord, skipped } from './records';

export interface EmulatedAccount {
  accountId: string;
  passcode: string;
  region: EmulatedRegion;
}

export type CleverTapRoute = 'upload' | 'profile' | 'connect' | 'customListUrl' | 'customListFile' | 'customListCompleted';

export interface CleverTapEmulatorOptions {
  /** Defaults to one account, DEFAULT_EMULATOR_ACCOUNT. */
  accounts?: EmulatedAccount[];
  /** Upload requests in flight per account before a 429 (CleverTap: 15). */
  uploadConcurrencyLimit?: number;
  /** Records per upload request (CleverTap: 1000). */
  maxRecordsPerUpload?: number;
  latencyMs?: Partial<Record<CleverTapRoute, number>>;
  /** Host of the pre-signed custom-list URLs. */
  customListHost?: string;
  /** Lifetime of a pre-signed URL (CleverTap: up to 24 h). */
  presignedUrlTtlSeconds?: number;
  /** Clock for timestamps and URL expiry. */
  now?: () => number;
  /** `record` in `unprocessed` as a JSON object (2024 answers) or a JSON string (2017 answers). */
  unprocessedRecordFormat?: 'object' | 'string';
  modes?: Partial<CleverTapModes>;
}

/**
 * Unknowns of the real service (behaviour CleverTap's docs do not state), each with an opt-in
 * pessimistic answer.
 * The defaults are the answers the client was first written for.
 */
export interface CleverTapModes {
  /** `/1/upload` judges the body before the credentials: an empty `d` gets 400 whatever the passcode. */
  bodyBeforeAuth: boolean;
  /** Profiles created by `/1/upload` become visible (to custom lists and profile reads) this much later. */
  profileIngestionLagMs: number;
  /** A profile record without profileData is accepted but creates no profile (the docs mark it "Required"). */
  profileDataRequired: boolean;
  /** Segment names a running campaign or journey uses: replacing them is refused. */
  segmentsInUse: Set<string>;
  /** When set, step 3 refuses an e-mail that is not one of these dashboard Admin users. */
  dashboardAdmins: string[] | undefined;
}

export interface StoredProfile {
  identity: string;
  /** The CleverTap ID ("objectId", "GUID"), what a custom list's `g` rows name. */
  objectId: string;
  properties: Properties;
  createdAt: string;
  updatedAt: string;
  /** Profile records received for this identity: tests use it to prove nothing was sent twice. */
  uploads: number;
  /** Epoch ms from which custom lists and profile reads see the profile (ingestion lag). */
  visibleAt: number;
}

export interface StoredEvent {
  evtName: string;
  evtData: Properties;
  ts: number;
}

export interface StoredSegment {
  id: number;
  name: string;
  email: string;
  creator: string;
  filename: string;
  url: string;
  /** Identities of existing profiles named by the last good file. */
  members: string[];
  /** Rows of the last good file that matched no profile (custom lists only qualify existing ones). */
  unmatched: string[];
  createdAt: string;
  updatedAt: string;
  /** Completions with `replace: true` on an existing segment. */
  replaceCount: number;
}

export interface StoredFile {
  host: string;
  key: string;
  accountId: string;
  contentType: string | undefined;
  text: string;
  rows: { type: string; id: string }[];
  /** Why CleverTap will refuse the file when the upload is completed; empty when it is good. */
  problems: string[];
  uploadedAt: string;
}

export interface SentEmail {
  to: string;
  subject: string;
  body: string;
}

export interface CleverTapEmulatorStats {
  /** Requests per path; custom-list files count under S3_FILE_PATH. */
  requests: Record<string, number>;
  /** Most upload requests one account had in flight (429-refused ones not included). */
  peakConcurrentUploads: number;
  /** 429 answers sent, including injected ones. */
  rateLimited: number;
}

export interface EmulatorState {
  accounts: {
    accountId: string;
    region: EmulatedRegion;
    profileCount: number;
    eventCount: number;
    segments: StoredSegment[];
    profiles?: StoredProfile[];
  }[];
  files: Omit<StoredFile, 'text' | 'rows'>[];
  emails: SentEmail[];
  stats: CleverTapEmulatorStats;
}

export interface CleverTapEmulator extends Emulator {
  readonly faults: FaultPlan;
  /** Mutable: per-route extra latency in ms. */
  readonly latencyMs: Record<CleverTapRoute, number>;
  uploadConcurrencyLimit: number;
  /** Profile records with these identities are refused in `unprocessed` (code 555), as a flaky record is. */
  readonly rejectIdentities: Set<string>;
  readonly customListHost: string;
  addAccount(account: EmulatedAccount): void;
  /** The next `times` URL requests answer "URL not generated, Please come back later". */
  failNextCustomListUrl(options?: { times?: number; shape?: 'json' | 'text' }): void;
  /** Mutable at run time. */
  readonly modes: CleverTapModes;
  /** Creates profiles directly, as if the app's SDK had created them. */
  seedProfiles(identities: Iterable<string>, accountId?: string): void;
  stats(): CleverTapEmulatorStats;
  resetStats(): void;
  segment(name: string, accountId?: string): StoredSegment | undefined;
  segments(accountId?: string): StoredSegment[];
  profile(identity: string, accountId?: string): StoredProfile | undefined;
  profiles(accountId?: string): StoredProfile[];
  events(identity: string, accountId?: string): StoredEvent[];
  files(): StoredFile[];
  emails(): SentEmail[];
  state(options?: { profiles?: boolean }): EmulatorState;
  /** Forgets all data, faults and counters; keeps accounts and settings. */
  reset(): void;
}

export const DEFAULT_EMULATOR_ACCOUNT: EmulatedAccount = {
  accountId: 'W9R-486-4W5Z',
  passcode: 'emulator-passcode-0001',
  region: 'eu1',
};
export const DEFAULT_CUSTOM_LIST_HOST = 'clevertap-custom-lists.s3.amazonaws.com';
export const S3_FILE_PATH = 's3:custom-list-file';
export const URL_NOT_GENERATED = 'URL not generated, Please come back later';

const JSON_TYPE = 'application/json;charset=utf-8';

interface CompletedBody {
  name: string;
  email: string;
  filename: string;
  creator: string;
  url: string;
  replace: boolean;
}

interface AccountData {
  account: EmulatedAccount;
  profiles: Map<string, StoredProfile>;
  /** Identity by CleverTap ID, for a custom list's `g` rows. */
  identityByObjectId: Map<string, string>;
  events: Map<string, StoredEvent[]>;
  segments: Map<string, StoredSegment>;
  /** Segment ids by name, kept even when a first upload failed, so ids never change. */
  segmentIds: Map<string, number>;
  uploadsInFlight: number;
}

export function createCleverTapEmulator(options: CleverTapEmulatorOptions = {}): CleverTapEmulator {
  const now = options.now ?? Date.now;
  const iso = () => new Date(now()).toISOString();
  const maxRecords = options.maxRecordsPerUpload ?? 1000;
  const ttlSeconds = options.presignedUrlTtlSeconds ?? 24 * 60 * 60;
  const customListHost = options.customListHost ?? DEFAULT_CUSTOM_LIST_HOST;
  const presigner = createPresigner();
  const faults = new FaultPlan();
  const latencyMs: Record<CleverTapRoute, number> = {
    upload: 0,
    profile: 0,
    connect: 0,
    customListUrl: 0,
    customListFile: 0,
    customListCompleted: 0,
    ...options.latencyMs,
  };
  const modes: CleverTapModes = {
    bodyBeforeAuth: false,
    profileIngestionLagMs: 0,
    profileDataRequired: false,
    segmentsInUse: new Set(),
    dashboardAdmins: undefined,
    ...options.modes,
  };
  const accounts = new Map<string, AccountData>();
  let files = new Map<string, StoredFile>();
  let issued = new Map<string, string>(); // file key → account id
  let emails: SentEmail[] = [];
  let nextSegmentId = 1_700_000_001;
  let stats: CleverTapEmulatorStats = { requests: {}, peakConcurrentUploads: 0, rateLimited: 0 };

  const addAccount = (account: EmulatedAccount) => {
    accounts.set(account.accountId, {
      account,
      profiles: new Map(),
      identityByObjectId: new Map(),
      events: new Map(),
      segments: new Map(),
      segmentIds: new Map(),
      uploadsInFlight: 0,
    });
  };
  for (const account of options.accounts ?? [DEFAULT_EMULATOR_ACCOUNT]) addAccount(account);

  const data = (accountId?: string): AccountData => {
    const found = accountId === undefined ? accounts.values().next().value : accounts.get(accountId);
    if (!found) throw new Error(`CleverTap emulator: no account ${accountId ?? '(none configured)'}`);
    return found;
  };

  // CleverTap IDs: '-' and 32 hex digits, unique. A random prefix and a counter keep a million
  // upserts cheap, as the emulator shares the benchmark's cores with the engine it measures.
  const objectIdPrefix = `-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  let objectIds = 0;
  const ensureProfile = (account: AccountData, identity: string, lagMs = 0, stamp?: string): StoredProfile => {
    let profile = account.profiles.get(identity);
    if (!profile) {
      stamp ??= iso();
      profile = {
        identity,
        objectId: `${objectIdPrefix}${(objectIds++).toString(16).padStart(12, '0')}`,
        properties: {},
        createdAt: stamp,
        updatedAt: stamp,
        uploads: 0,
        visibleAt: now() + lagMs,
      };
      account.profiles.set(identity, profile);
      account.identityByObjectId.set(profile.objectId, identity);
    }
    return profile;
  };

  // --- answers -----------------------------------------------------------------------------------

  const fail = (response: ServerResponse, status: number, error: string, code = status) =>
    send(response, status, { status: 'fail', error, code });

  const unauthorized = (response: ServerResponse) => fail(response, 401, 'Account ID is not valid');

  /** The account whose credentials and region host the request carries, or undefined. */
  const authenticate = (request: EmulatorRequest): AccountData | undefined => {
    const id = header(request, 'x-clevertap-account-id');
    const account = id === undefined ? undefined : accounts.get(id);
    if (!account) return undefined;
    if (header(request, 'x-clevertap-passcode') !== account.account.passcode) return undefined;
    if (request.host !== REGION_HOSTS[account.account.region]) return undefined;
    return account;
  };

  // --- /1/upload ---------------------------------------------------------------------------------

  const upload = async (request: EmulatorRequest, response: ServerResponse, account: AccountData) => {
    if (account.uploadsInFlight >= emulator.uploadConcurrencyLimit) {
      stats.rateLimited++;
      fail(response, 429, 'Too many concurrent requests');
      return;
    }
    account.uploadsInFlight++;
    stats.peakConcurrentUploads = Math.max(stats.peakConcurrentUploads, account.uploadsInFlight);
    try {
      await answerWithin(latencyMs.upload, response, (answer) => {
        const processed = processUpload(request, account);
        send(answer, processed.status, processed.body);
      });
    } finally {
      account.uploadsInFlight--;
    }
  };

  const processUpload = (request: EmulatorRequest, account: AccountData): { status: number; body: unknown } => {
    const badRequest = (error: string) => ({ status: 400, body: { status: 'fail', error, code: 400 } });
    let payload: unknown;
    try {
      payload = JSON.parse(request.body.toString('utf8'));
    } catch {
      return badRequest('Some mandatory parameter was missing. Remove comments from JSON.');
    }
    const records = (payload as { d?: unknown } | null)?.d;
    if (!Array.isArray(records)) return badRequest('Some mandatory parameter was missing. Remove comments from JSON.');
    if (records.length > maxRecords) return badRequest(`Max ${maxRecords} are allowed`);
    const dryRun = request.url.searchParams.get('dryRun') === '1' || request.url.searchParams.get('dryRun') === 'true';
    const unprocessed: unknown[] = [];
    let processed = 0;
    // One instant for the whole request, as one upload is ingested at once.
    const stamp = iso();
    records.forEach((record: unknown, index) => {
      let checked = checkRecord(record);
      if ('identity' in checked && emulator.rejectIdentities.has(checked.identity)) {
        checked = { code: 555, error: 'Miscellaneous server error.' };
      }
      if ('code' in checked) {
        unprocessed.push({
          status: 'fail',
          code: checked.code,
          error: skipped(checked, index + 1),
          record: options.unprocessedRecordFormat === 'string' ? JSON.stringify(record) : record,
        });
        return;
      }
      processed++;
      if (dryRun) return;
      const fields = record as Record<string, unknown>;
      const data = fields['profileData'];
      const emptyProfile = !data || Object.keys(data as object).length === 0;
      if (checked.type === 'profile' && emptyProfile && modes.profileDataRequired && !account.profiles.has(checked.identity)) return;
      const profile = ensureProfile(account, checked.identity, modes.profileIngestionLagMs, stamp);
      if (checked.type === 'profile') {
        applyProfileData(profile.properties, (fields['profileData'] as Properties | undefined) ?? {});
        profile.updatedAt = stamp;
        profile.uploads++;
      } else {
        const list = account.events.get(checked.identity) ?? [];
        list.push({
          evtName: fields['evtName'] as string,
          evtData: (fields['evtData'] as Properties | undefined) ?? {},
          ts: typeof fields['ts'] === 'number' ? fields['ts'] : Math.floor(now() / 1000),
        });
        account.events.set(checked.identity, list);
      }
    });
    const status = unprocessed.length === 0 ? 'success' : processed > 0 ? 'partial' : 'fail';
    return { status: 200, body: { status, processed, unprocessed } };
  };

  /** `GET /1/profile.json?identity=…` (clevertap-node `profile()`): the profile once CleverTap has it. */
  const readProfile = (request: EmulatorRequest, response: ServerResponse, account: AccountData) => {
    const identity = request.url.searchParams.get('identity');
    const profile = identity === null ? undefined : account.profiles.get(identity);
    if (!profile || profile.visibleAt > now()) {
      send(response, 200, { status: 'fail', error: 'User not found', code: 404 });
      return;
    }
    send(response, 200, {
      status: 'success',
      record: { identity: profile.identity, objectId: profile.objectId, profileData: structuredClone(profile.properties) },
    });
  };

  // --- custom lists ------------------------------------------------------------------------------

  const customListUrl = (response: ServerResponse, account: AccountData) => {
    const key = `${encodeURIComponent(account.account.accountId)}/${randomUUID()}.csv`;
    issued.set(key, account.account.accountId);
    send(response, 200, {
      presignedS3URL: presigner.sign(customListHost, key, now(), ttlSeconds),
      expiry: formatExpiry(now() + ttlSeconds * 1000),
      status: 'success',
    });
  };

  const customListFile = (request: EmulatorRequest, response: ServerResponse) => {
    const xml = (status: number, code: string, message: string) =>
      response.writeHead(status, { 'content-type': 'application/xml' }).end(s3Error(code, message));
    if (request.method !== 'PUT') {
      xml(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      return;
    }
    const refused = presigner.verify(request.url, now());
    if (refused) {
      xml(403, refused.code, refused.message);
      return;
    }
    const key = request.url.pathname.slice(1);
    const accountId = issued.get(key);
    if (accountId === undefined) {
      xml(403, 'AccessDenied', 'Access Denied');
      return;
    }
    const text = request.body.toString('utf8');
    files.set(key, {
      host: request.host,
      key,
      accountId,
      contentType: header(request, 'content-type'),
      ...readCustomList(text),
      text,
      uploadedAt: iso(),
    });
    response.writeHead(200, { etag: `"${randomUUID().replace(/-/g, '')}"` }).end();
  };

  const customListCompleted = (request: EmulatorRequest, response: ServerResponse, account: AccountData) => {
    let body: unknown;
    try {
      body = JSON.parse(request.body.toString('utf8'));
    } catch {
      fail(response, 400, 'Some mandatory parameter was missing. Remove comments from JSON.');
      return;
    }
    const problem = completedBodyProblem(body);
    if (problem) {
      fail(response, 400, `Invalid or missing parameter: ${problem}`);
      return;
    }
    const input = body as CompletedBody;
    let key: string | undefined;
    try {
      const url = new URL(input.url);
      key = url.host === customListHost ? url.pathname.slice(1) : undefined;
    } catch {
      key = undefined;
    }
    if (key === undefined || issued.get(key) !== account.account.accountId) {
      send(response, 200, { status: 'fail', error: 'Invalid url', code: 400 });
      return;
    }
    const file = files.get(key);
    if (!file) {
      send(response, 200, { status: 'fail', error: 'File not found at the url', code: 400 });
      return;
    }
    if (modes.dashboardAdmins && !modes.dashboardAdmins.some((admin) => admin.toLowerCase() === input.email.trim().toLowerCase())) {
      // Emulator choice: refused at once. Real CleverTap may instead fail the job later, by e-mail.
      send(response, 200, { status: 'fail', error: 'Invalid email', code: 400 });
      return;
    }
    const existing = account.segments.get(input.name);
    if (existing && !input.replace) {
      send(response, 200, { status: 'fail', error: 'duplicate_name', code: 409 });
      return;
    }
    if (existing && modes.segmentsInUse.has(input.name)) {
      send(response, 200, {
        status: 'fail',
        error: 'Segment is in use by a running campaign or journey. Stop the campaign or journey before replacing the segment.',
        code: 400,
      });
      return;
    }
    const id = account.segmentIds.get(input.name) ?? nextSegmentId++;
    account.segmentIds.set(input.name, id);
    if (file.problems.length > 0) {
      // CleverTap accepts the call and reports the bad file by email; the last good version stays.
      emails.push({
        to: input.email,
        subject: existing ? 'File re-upload failed' : 'Custom list upload failed',
        body: `Segment "${input.name}": ${file.problems.join('; ')}`,
      });
      send(response, 200, { status: 'success', 'Segment ID': id });
      return;
    }
    // Only profiles CleverTap already holds qualify; under ingestion lag, recent ones do not yet.
    // Looked up row by row: the account may hold far more profiles than the file names.
    const members = new Set<string>();
    const unmatched: string[] = [];
    for (const row of file.rows) {
      const identity = row.type === 'g' ? account.identityByObjectId.get(row.id) : row.id;
      const profile = identity === undefined ? undefined : account.profiles.get(identity);
      if (!profile || profile.visibleAt > now()) unmatched.push(row.id);
      else members.add(profile.identity);
    }
    const stamp = iso();
    account.segments.set(input.name, {
      id,
      name: input.name,
      email: input.email,
      creator: input.creator,
      filename: input.filename,
      url: input.url,
      members: [...members],
      unmatched,
      createdAt: existing?.createdAt ?? stamp,
      updatedAt: stamp,
      replaceCount: existing ? existing.replaceCount + 1 : 0,
    });
    emails.push({
      to: input.email,
      subject: 'Custom list segment processed',
      body: `Segment "${input.name}": ${members.size} users qualified, ${unmatched.length} not found.`,
    });
    send(response, 200, { status: 'success', 'Segment ID': id });
  };

  // --- inspection --------------------------------------------------------------------------------

  const state = (stateOptions: { profiles?: boolean } = {}): EmulatorState => ({
    accounts: [...accounts.values()].map((account) => ({
      accountId: account.account.accountId,
      region: account.account.region,
      profileCount: account.profiles.size,
      eventCount: [...account.events.values()].reduce((sum, list) => sum + list.length, 0),
      segments: [...account.segments.values()].map(copySegment),
      ...(stateOptions.profiles ? { profiles: [...account.profiles.values()].map(copyProfile) } : {}),
    })),
    files: [...files.values()].map(({ host, key, accountId, contentType, problems, uploadedAt }) => ({
      host,
      key,
      accountId,
      contentType,
      problems,
      uploadedAt,
    })),
    emails: [...emails],
    stats: copyStats(stats),
  });

  const inspect = (request: EmulatorRequest, response: ServerResponse) => {
    const path = request.url.pathname;
    if (path === '/__emulator/state') {
      send(response, 200, state({ profiles: request.url.searchParams.get('profiles') === '1' }));
    } else if (path === '/__emulator/' || path === '/__emulator') {
      response.writeHead(200, { 'content-type': 'text/html;charset=utf-8' }).end(renderStatePage(state()));
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    }
  };

  // --- routing -----------------------------------------------------------------------------------

  const routes: Record<string, { method: string; route: CleverTapRoute }> = {
    '/1/upload': { method: 'POST', route: 'upload' },
    '/1/profile.json': { method: 'GET', route: 'profile' },
    '/v1/connect': { method: 'GET', route: 'connect' },
    '/get_custom_list_segment_url': { method: 'POST', route: 'customListUrl' },
    '/upload_custom_list_segment_completed': { method: 'POST', route: 'customListCompleted' },
  };

  const emulator: CleverTapEmulator = {
    hosts: [...Object.values(REGION_HOSTS), customListHost],
    faults,
    latencyMs,
    uploadConcurrencyLimit: options.uploadConcurrencyLimit ?? 15,
    rejectIdentities: new Set(),
    customListHost,
    modes,

    async handle(request, response) {
      const path = request.url.pathname;
      if (request.host !== customListHost && path.startsWith('/__emulator')) {
        inspect(request, response);
        return;
      }
      const isFile = request.host === customListHost;
      const counterKey = isFile ? S3_FILE_PATH : path;
      stats.requests[counterKey] = (stats.requests[counterKey] ?? 0) + 1;
      const fault = faults.take(request);
      if (fault) {
        if (isRateLimit(fault)) stats.rateLimited++;
        if (await applyFault(fault, response)) return;
      }
      if (isFile) {
        await answerWithin(latencyMs.customListFile, response, (answer) => customListFile(request, answer));
        return;
      }
      const route = routes[path];
      if (!route) {
        fail(response, 404, 'Not found');
        return;
      }
      if (request.method !== route.method) {
        fail(response, 405, 'Method not allowed');
        return;
      }
      if (route.route === 'upload' && modes.bodyBeforeAuth) {
        const problem = bodyProblem(request);
        if (problem) {
          fail(response, 400, problem);
          return;
        }
      }
      const account = authenticate(request);
      if (!account) {
        unauthorized(response);
        return;
      }
      if (route.route === 'profile') {
        await answerWithin(latencyMs.profile, response, (answer) => readProfile(request, answer, account));
        return;
      }
      if (route.route === 'upload') {
        await upload(request, response, account);
        return;
      }
      const { route: name } = route;
      await answerWithin(latencyMs[name], response, (answer) => {
        if (name === 'connect') {
          if (!request.url.searchParams.get('partner')) fail(answer, 400, 'partner is mandatory');
          else send(answer, 200, { status: 'success' });
        } else if (name === 'customListUrl') customListUrl(answer, account);
        else customListCompleted(request, answer, account);
      });
    },

    addAccount,
    failNextCustomListUrl({ times = 1, shape = 'json' } = {}) {
      const fault: Fault =
        shape === 'json'
          ? { kind: 'status', status: 200, contentType: JSON_TYPE, body: JSON.stringify({ status: 'fail', error: URL_NOT_GENERATED }) }
          : { kind: 'status', status: 200, contentType: 'text/plain', body: URL_NOT_GENERATED };
      faults.add('/get_custom_list_segment_url', fault, { times });
    },
    seedProfiles(identities, accountId) {
      const account = data(accountId);
      for (const identity of identities) ensureProfile(account, identity);
    },
    stats: () => copyStats(stats),
    resetStats() {
      stats = { requests: {}, peakConcurrentUploads: 0, rateLimited: 0 };
    },
    segment: (name, accountId) => {
      const segment = data(accountId).segments.get(name);
      return segment && copySegment(segment);
    },
    segments: (accountId) => [...data(accountId).segments.values()].map(copySegment),
    profile: (identity, accountId) => {
      const profile = data(accountId).profiles.get(identity);
      return profile && copyProfile(profile);
    },
    profiles: (accountId) => [...data(accountId).profiles.values()].map(copyProfile),
    events: (identity, accountId) => (data(accountId).events.get(identity) ?? []).map((event) => structuredClone(event)),
    files: () => [...files.values()],
    emails: () => [...emails],
    state,
    reset() {
      for (const account of accounts.values()) addAccount(account.account);
      files = new Map();
      issued = new Map();
      emails = [];
      faults.clear();
      emulator.resetStats();
    },
  };
  return emulator;
}

/** What a body-first server says about an upload body before it looks at the credentials. */
function bodyProblem(request: EmulatorRequest): string | undefined {
  const missing = 'Some mandatory parameter was missing. Remove comments from JSON.';
  try {
    const payload = JSON.parse(request.body.toString('utf8')) as { d?: unknown } | null;
    return Array.isArray(payload?.d) && payload.d.length > 0 ? undefined : missing;
  } catch {
    return missing;
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': JSON_TYPE }).end(JSON.stringify(body));
}

function header(request: EmulatorRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isRateLimit(fault: Fault): boolean {
  return fault.kind === 'status' && fault.status === 429;
}

function copySegment(segment: StoredSegment): StoredSegment {
  return { ...segment, members: [...segment.members], unmatched: [...segment.unmatched] };
}

function copyProfile(profile: StoredProfile): StoredProfile {
  return { ...profile, properties: structuredClone(profile.properties) };
}

function copyStats(stats: CleverTapEmulatorStats): CleverTapEmulatorStats {
  return { ...stats, requests: { ...stats.requests } };
}

/** CleverTap's own format: "7 May, 01:29 PM" (UTC here). */
function formatExpiry(ms: number): string {
  const date = new Date(ms);
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const time = date.toLocaleString('en-US', { hour: '2-digit', minute: '2-digit', hour12: true, timeZone: 'UTC' });
  return `${date.getUTCDate()} ${month}, ${time}`;
}

/** Header `Type,Identity`, rows `i,<identity>` or `g,<CleverTap ID>` (https://developer.clevertap.com/docs/custom-list-endpoints). */
function readCustomList(text: string): { rows: StoredFile['rows']; problems: string[] } {
  const records = readCsvRecords(text.replace(/^\uFEFF/, ''));
  const problems: string[] = [];
  const [head, ...body] = records;
  if (!head || head.length !== 2 || head[0]?.trim().toLowerCase() !== 'type' || head[1]?.trim().toLowerCase() !== 'identity') {
    problems.push(`the header must be "Type,Identity", found "${(head ?? []).join(',')}"`);
  }
  const rows: StoredFile['rows'] = [];
  body.forEach((record, index) => {
    if (record.length === 1 && record[0] === '') return; // blank line
    const [type, id] = record;
    if (record.length !== 2 || (type !== 'i' && type !== 'g') || !id) {
      problems.push(`row ${index + 2} is not "i,<identity>" or "g,<CleverTap ID>"`);
      return;
    }
    rows.push({ type, id });
  });
  return { rows, problems: problems.length > 20 ? [...problems.slice(0, 20), `${problems.length - 20} more problems`] : problems };
}
