/**
 * Mixpanel's Query API (cohorts/list, engage) and App API (/me) on mixpanel.com, eu. and in.,
 * following Mixpanel's API docs (https://docs.mixpanel.com/reference/overview) and the published
 * OpenAPI file (test/contracts/mixpanel-query.openapi.yaml): auth per region, roles,
 * data views, rate limits, sessions, latency and faults. Paths outside /api/ go to `pages`
 * (web-page fixtures) or get a 404.
 */
import type { ServerResponse } from 'node:http';
import { FaultPlan, answerWithin, applyFault, sendJson } from '../faults';
import type { Emulator, EmulatorRequest } from '../hub';
import { answerMe, authenticate, type Authenticated } from './app';
import { engageBody, matchingIds, parseEngageQuery, type EngageSession } from './engage';
import { FIXTURE, fixtureCohorts, fixtureProjects, fixtureServiceAccounts } from './fixture';
import { QueryLimiter } from './limits';
import { seedCohort, type SeedCohortOptions, type SeededCohort } from './seed';
import {
  MixpanelState,
  type CohortSeed,
  type EmulatedOrganization,
  type EmulatedProject,
  type EmulatedServiceAccount,
  type MixpanelRole,
} from './state';

export { FIXTURE } from './fixture';
export { CLEVERTAP_ID, INVALID_CLEVERTAP_IDS, prng, seedCohort } from './seed';
export type { SeedCohortOptions, SeededCohort } from './seed';
export * from './state';

export type MixpanelRoute = 'cohorts-list' | 'engage' | 'me' | 'service-accounts';

/**
 * Unknowns of the real service (behaviour Mixpanel's docs do not state), each with an opt-in answer
 * other than the default.
 * Defaults follow the public samples: no project role in /me, the organisation role as a string.
 */
export interface MixpanelModes {
  /** /me's per-project `role`: absent (no public sample has one), a string, or `{"name": "Admin"}`. */
  meProjectRole: 'absent' | 'string' | 'object';
  /** /me's organisation `role`: a string (`"member"`), an object, or absent. */
  meOrganizationRole: 'string' | 'object' | 'absent';
  /**
   * /me's project `permissions`: only `view_base_reports`, the one name a public source shows
   * (mixpanel/sheets), or the emulator's invented per-role lists, admin names included.
   */
  mePermissions: 'documented' | 'by-role';
  /** Who may read `GET /api/app/projects/{id}/service-accounts`: project admins (else 403), anyone in it, or nobody (404). */
  serviceAccountList: 'admins' | 'members' | 'absent';
  /** An expired engage session answers 400 (default) or `200` with an empty page. */
  expiredSession: 'error' | 'empty-page';
  /** Where `page_size` is read: body or query string (default), or the query string only. */
  pageSizeFrom: 'body-or-query' | 'query-only';
}

export const DEFAULT_MIXPANEL_MODES: MixpanelModes = {
  meProjectRole: 'absent',
  meOrganizationRole: 'string',
  mePermissions: 'documented',
  serviceAccountList: 'admins',
  expiredSession: 'error',
  pageSizeFrom: 'body-or-query',
};

export interface MixpanelEmulatorSeed {
  /** Omit all three to start from FIXTURE. */
  organizations?: EmulatedOrganization[];
  projects?: EmulatedProject[];
  serviceAccounts?: EmulatedServiceAccount[];
  cohorts?: { projectId: number; cohort: CohortSeed }[];
  /**
   * Largest page_size engage honours (default 1000; the real maximum is undocumented, larger pages
   * work: https://github.com/airbytehq/airbyte/pull/41976).
   */
  maxPageSize?: number;
  /** Per project, sliding hour (default 60). */
  hourlyLimit?: number;
  /** Per project (default 5). */
  concurrentLimit?: number;
  /** Whether engage pages after the first count toward the hourly limit (default false, per Mixpanel support). */
  countPagination?: boolean;
  /** How long an engage session pages, from page 0 (default 10 minutes; undocumented). */
  sessionTtlMs?: number;
  /** Roles allowed to run queries (default owner, admin, analyst: Consumers may not export cohorts). */
  queryRoles?: MixpanelRole[];
  latencyMs?: Partial<Record<MixpanelRoute, number>>;
  modes?: Partial<MixpanelModes>;
  /** Fallback for paths outside /api/: return true when it answered. */
  pages?: (request: EmulatorRequest, response: ServerResponse) => Promise<boolean>;
}

export interface MixpanelCounters {
  /** Queries that used the hourly budget. */
  queriesCounted: number;
  /** Every request under /api/, by path. */
  requestsByPath: Record<string, number>;
  /** Most queries running at once, over all projects. */
  peakConcurrency: number;
  peakConcurrencyByProject: Map<number, number>;
  rateLimited: number;
  sessionsStarted: number;
}

export interface MixpanelEmulator extends Emulator {
  readonly state: MixpanelState;
  readonly faults: FaultPlan;
  /** Changeable at run time. */
  readonly latencyMs: Partial<Record<MixpanelRoute, number>>;
  readonly limits: { hourlyLimit: number; concurrentLimit: number; countPagination: boolean; maxPageSize: number; sessionTtlMs: number };
  readonly counters: MixpanelCounters;
  /** Mutable at run time. */
  readonly modes: MixpanelModes;
  resetCounters(): void;
  /** Moves the emulator's clock (session expiry, the sliding hour) without waiting. */
  advanceTime(ms: number): void;
  now(): number;
  /** Drops every engage session, as if they had all expired. */
  expireSessions(): void;
  /** Counted queries in the current hour for a project. */
  queriesThisHour(projectId: number): number;
  seedCohort(options: SeedCohortOptions): SeededCohort;
  /** Fallback handler for non-API paths; settable later by the web-page fixtures. */
  pages?: (request: EmulatorRequest, response: ServerResponse) => Promise<boolean>;
}

/** Data-residency clusters (Query API authentication docs, OpenAPI `servers`); the emulator's own copy. */
const CLUSTERS = { 'mixpanel.com': 'us', 'eu.mixpanel.com': 'eu', 'in.mixpanel.com': 'in' } as const;
const HOSTS = Object.keys(CLUSTERS) as (keyof typeof CLUSTERS)[];
const clusterOf = (host: string) => CLUSTERS[host.toLowerCase() as keyof typeof CLUSTERS];
const DEFAULT_QUERY_ROLES: MixpanelRole[] = ['owner', 'admin', 'analyst'];

export function createMixpanelEmulator(seed: MixpanelEmulatorSeed = {}): MixpanelEmulator {
  const state = new MixpanelState();
  const useFixture = !seed.organizations && !seed.projects && !seed.serviceAccounts;
  for (const organization of seed.organizations ?? [FIXTURE.organization]) state.addOrganization(organization);
  for (const project of seed.projects ?? (useFixture ? fixtureProjects() : [])) state.addProject(project);
  for (const account of seed.serviceAccounts ?? (useFixture ? fixtureServiceAccounts() : [])) {
    state.addServiceAccount(account);
  }
  for (const { projectId, cohort } of seed.cohorts ?? (useFixture ? fixtureCohorts() : [])) {
    state.addCohort(projectId, cohort);
  }

  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  const limits = {
    hourlyLimit: seed.hourlyLimit ?? 60,
    concurrentLimit: seed.concurrentLimit ?? 5,
    countPagination: seed.countPagination ?? false,
    maxPageSize: seed.maxPageSize ?? 1000,
    sessionTtlMs: seed.sessionTtlMs ?? 10 * 60_000,
  };
  // The limiter reads the limits object, so tests can change them at run time.
  const limiter = new QueryLimiter(limits, now);
  const queryRoles = new Set(seed.queryRoles ?? DEFAULT_QUERY_ROLES);
  const sessions = new Map<string, EngageSession>();
  let sessionCounter = 0;
  const counters: MixpanelCounters = {
    queriesCounted: 0,
    requestsByPath: {},
    peakConcurrency: 0,
    peakConcurrencyByProject: new Map(),
    rateLimited: 0,
    sessionsStarted: 0,
  };
  const syncLimiterCounters = () => {
    counters.queriesCounted = limiter.queriesCounted;
    counters.peakConcurrency = limiter.peakConcurrency;
    counters.peakConcurrencyByProject = new Map(limiter.peakByProject);
  };

  const emulator: MixpanelEmulator = {
    hosts: HOSTS,
    state,
    faults: new FaultPlan(),
    latencyMs: { ...seed.latencyMs },
    limits,
    counters,
    modes: { ...DEFAULT_MIXPANEL_MODES, ...seed.modes },
    pages: seed.pages,
    resetCounters() {
      limiter.reset();
      counters.requestsByPath = {};
      counters.rateLimited = 0;
      counters.sessionsStarted = 0;
      syncLimiterCounters();
    },
    advanceTime(ms) {
      clockOffset += ms;
    },
    now,
    expireSessions() {
      sessions.clear();
    },
    queriesThisHour: (projectId) => limiter.usedThisHour(projectId),
    seedCohort: (options) => seedCohort(state, options),

    async handle(request, response) {
      const path = request.url.pathname;
      if (!path.startsWith('/api/')) {
        if (emulator.pages && (await emulator.pages(request, response))) return;
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        return;
      }
      counters.requestsByPath[path] = (counters.requestsByPath[path] ?? 0) + 1;
      const fault = emulator.faults.take(request);
      if (fault && (await applyFault(fault, response))) return;

      const route = routeOf(path);
      if (!route) return sendError(response, 404, `Unknown endpoint ${path}`);
      const method = route === 'me' || route === 'service-accounts' ? 'GET' : 'POST';
      // The spec documents POST for the Query API; GET is tolerated, as older clients send it.
      if (request.method !== method && !(route !== 'me' && request.method === 'GET')) {
        return sendError(response, 405, `Method ${request.method} not allowed`);
      }
      const region = clusterOf(request.host) ?? 'us';
      const account = authenticate(state, request);
      if (route === 'me') return answerMeInMode(state, response, account, region, emulator.modes);
      if (route === 'service-accounts') {
        const projectId = Number(/\/projects\/(\d+)\//.exec(path)?.[1]);
        return answerServiceAccounts(state, response, account.account, projectId, region, emulator.modes);
      }

      if (!account.present) return sendError(response, 401, 'Authentication required: use HTTP Basic with a service account.');
      const projectId = integerParam(request.url, 'project_id');
      if (projectId === undefined) return sendError(response, 400, 'project_id is a required parameter.');
      const project = state.projects.get(projectId);
      const role = account.account?.roles[projectId];
      // Wrong secret, unknown project, a project of another cluster or of another organisation: all 401.
      if (!account.account || !project || project.region !== region || !role) {
        return sendError(response, 401, 'Invalid credentials: unable to authenticate request for this project.');
      }
      if (!queryRoles.has(role)) {
        return sendError(response, 403, `Permission denied: the ${role} role may not query project ${projectId}.`);
      }
      const workspaceProblem = checkWorkspace(request.url, project);
      if (workspaceProblem) return sendError(response, 400, workspaceProblem);

      if (route === 'cohorts-list') {
        return runQuery(request, response, projectId, true, route, () =>
          ok(state.cohorts(projectId).map((cohort) => ({
            count: cohort.members.size,
            is_visible: cohort.visible ? 1 : 0,
            description: cohort.description,
            created: cohort.created,
            project_id: projectId,
            id: cohort.id,
            name: cohort.name,
          }))),
        );
      }

      const parsed = parseEngageQuery(requestBody(request, emulator.modes.pageSizeFrom));
      if (!parsed.ok) return sendError(response, 400, parsed.error);
      const query = parsed.value;
      let session: EngageSession | undefined;
      if (query.sessionId) {
        session = sessions.get(query.sessionId);
        if (session && now() - session.createdAt > limits.sessionTtlMs) {
          sessions.delete(session.id);
          session = undefined;
        }
        if (!session || session.projectId !== projectId) {
          if (emulator.modes.expiredSession === 'empty-page') {
            // The pessimistic answer: a normal-looking last page, which a client must not take as the end.
            return sendJson(response, 200, { page: query.page, page_size: limits.maxPageSize, results: [], session_id: query.sessionId, status: 'ok' });
          }
          return sendError(response, 400, `Invalid or expired session_id ${query.sessionId}: start again without a session.`);
        }
      }
      const paging = query.page > 0 && session !== undefined;
      return runQuery(request, response, projectId, !paging || limits.countPagination, route, () => {
        if (!session) {
          // Page 0 of a new session: the membership is fixed here for the session's pages.
          const ids = matchingIds(state, projectId, query);
          if (!ids.ok) return { status: 400, body: { error: ids.error, status: 'error' } };
          const pageSize = Math.min(query.pageSize ?? limits.maxPageSize, limits.maxPageSize);
          session = { id: `${1_700_000_000 + ++sessionCounter}-EMUL${sessionCounter}`, projectId, ids: ids.value, pageSize, createdAt: now() };
          sessions.set(session.id, session);
          counters.sessionsStarted++;
        }
        return ok(engageBody(state, session, query.page, query.outputProperties));
      });
    },
  };

  async function runQuery(
    request: EmulatorRequest,
    response: ServerResponse,
    projectId: number,
    counts: boolean,
    route: MixpanelRoute,
    answer: () => Answer,
  ): Promise<void> {
    const admission = limiter.admit(projectId, counts);
    syncLimiterCounters();
    if (!admission.ok) {
      counters.rateLimited++;
      sendJson(response, 429, {
        request: `${request.url.pathname}${request.url.search}`,
        error:
          `Query rate limit exceeded for project_id: ${projectId}. ` +
          `${admission.concurrent}/${limits.concurrentLimit} queries running concurrently and ` +
          `${admission.hourly}/${limits.hourlyLimit} queries running in the last hour. ` +
          'For more information, please consult our documentation at https://docs.mixpanel.com/reference/rate-limits',
      });
      return;
    }
    try {
      // A page of 10,000 profiles takes tens of ms to build: within the latency, not added to it.
      await answerWithin(emulator.latencyMs[route] ?? 0, response, (reply) => {
        const result = answer();
        sendJson(reply, result.status, result.body);
      });
    } finally {
      admission.release();
    }
  }

  return emulator;
}

function routeOf(path: string): MixpanelRoute | undefined {
  const trimmed = path.replace(/\/+$/, '');
  // /api/2.0/... is the legacy alias of /api/query/... (ak--47/mp-project tools/urls.js; the 429
  // bodies quoted in https://github.com/airbytehq/airbyte/issues/9410).
  if (trimmed === '/api/query/cohorts/list' || trimmed === '/api/2.0/cohorts/list') return 'cohorts-list';
  if (trimmed === '/api/query/engage' || trimmed === '/api/2.0/engage') return 'engage';
  if (trimmed === '/api/app/me') return 'me';
  if (/^\/api\/app\/projects\/\d+\/service-accounts$/.test(trimmed)) return 'service-accounts';
  return undefined;
}

function checkWorkspace(url: URL, project: EmulatedProject): string | undefined {
  const raw = url.searchParams.get('workspace_id');
  if (raw === null || raw === '') {
    return project.requireWorkspaceId
      ? `Project ${project.id} has data views: include the global data view's workspace_id.`
      : undefined;
  }
  const id = Number(raw);
  if (!Number.isInteger(id) || !(project.dataViews ?? []).some((view) => view.id === id)) {
    return `workspace_id ${raw} is not a data view of project ${project.id}.`;
  }
  return undefined;
}

function integerParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isInteger(value) ? value : undefined;
}

function requestBody(request: EmulatorRequest, pageSizeFrom: MixpanelModes['pageSizeFrom']): string {
  // Parameters may also come in the query string (GET); the body wins.
  const query = new URLSearchParams(request.url.search);
  for (const name of ['project_id', 'workspace_id']) query.delete(name);
  const body = new URLSearchParams(request.body.toString('utf8'));
  if (pageSizeFrom === 'query-only') body.delete('page_size');
  for (const [name, value] of query) if (!body.has(name)) body.set(name, value);
  return body.toString();
}

/** `answerMe`'s answer, reshaped for the role modes: same status, same data otherwise. */
function answerMeInMode(
  state: MixpanelState,
  response: ServerResponse,
  auth: Authenticated,
  region: 'us' | 'eu' | 'in',
  modes: MixpanelModes,
): void {
  const captured = captureJson();
  answerMe(state, captured.response, auth, region);
  const { status, body } = captured.result();
  const results = (body as { results?: MeResults } | undefined)?.results;
  if (status === 200 && results && auth.account) {
    const account = auth.account;
    for (const [id, project] of Object.entries(results.projects ?? {})) {
      const role = account.roles[Number(id)];
      if (modes.meProjectRole === 'string' && role) project.role = role;
      if (modes.meProjectRole === 'object' && role) project.role = { name: role.charAt(0).toUpperCase() + role.slice(1) };
      if (modes.mePermissions === 'documented') project.permissions = ['view_base_reports'];
    }
    for (const organization of Object.values(results.organizations ?? {})) {
      if (modes.meOrganizationRole === 'absent') delete organization.role;
      else if (modes.meOrganizationRole === 'object' && typeof organization.role === 'string') {
        organization.role = { name: organization.role.charAt(0).toUpperCase() + organization.role.slice(1) };
      }
    }
  }
  sendJson(response, status, body);
}

interface MeResults {
  projects?: Record<string, { role?: unknown; permissions?: string[] }>;
  organizations?: Record<string, { role?: unknown }>;
}

/** `GET /api/app/projects/{id}/service-accounts` (service-accounts OpenAPI `list-project-service-accounts`). */
function answerServiceAccounts(
  state: MixpanelState,
  response: ServerResponse,
  account: EmulatedServiceAccount | undefined,
  projectId: number | undefined,
  region: 'us' | 'eu' | 'in',
  modes: MixpanelModes,
): void {
  if (modes.serviceAccountList === 'absent') return sendError(response, 404, 'Not found');
  const project = projectId === undefined ? undefined : state.projects.get(projectId);
  const role = projectId === undefined ? undefined : account?.roles[projectId];
  if (!account || !project || project.region !== region || !role) {
    return sendError(response, 401, 'Invalid credentials: unable to authenticate request for this project.');
  }
  if (modes.serviceAccountList === 'admins' && role !== 'owner' && role !== 'admin') {
    return sendError(response, 403, 'You do not have permission to view this project\'s service accounts.');
  }
  const members = [...state.serviceAccounts.values()].filter((candidate) => candidate.roles[project.id]);
  sendJson(response, 200, {
    results: members.map((member, index) => ({
      id: 800_000 + index,
      username: member.username,
      created: '2024-01-01T00:00:00Z',
      hasSensitiveAccess: false,
      role: member.roles[project.id],
      target_type: 'individual',
    })),
    status: 'ok',
  });
}

/** A stand-in response that keeps what a helper writes, so the answer can be reshaped before it is sent. */
function captureJson(): { response: ServerResponse; result: () => { status: number; body: unknown } } {
  let status = 500;
  let text = '';
  const fake = {
    writeHead(code: number) {
      status = code;
      return fake;
    },
    end(chunk?: string) {
      text = chunk ?? '';
      return fake;
    },
  };
  return {
    response: fake as unknown as ServerResponse,
    result: () => ({ status, body: text ? (JSON.parse(text) as unknown) : undefined }),
  };
}

function sendError(response: ServerResponse, status: number, error: string): void {
  sendJson(response, status, { error, status: 'error' });
}

interface Answer {
  status: number;
  body: unknown;
}

const ok = (body: unknown): Answer => ({ status: 200, body });
