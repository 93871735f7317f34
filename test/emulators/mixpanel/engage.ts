/**
 * `POST /api/query/engage` as the OpenAPI file (test/contracts/mixpanel-query.openapi.yaml) and
 * https://docs.mixpanel.com/reference/engage-query describe it, plus the undocumented
 * parts chosen here: `total` counts all pages, a session snapshots the matching ids at page 0 and
 * pages through that snapshot until it expires, then paging answers 400.
 */
import type { MixpanelState, Properties } from './state';

export interface EngageQuery {
  cohortId?: number;
  includeAllUsers: boolean;
  outputProperties?: string[];
  /** Property that must be set (`where=defined(properties["X"])`, the only form emulated). */
  definedProperty?: string;
  page: number;
  pageSize?: number;
  sessionId?: string;
}

export interface EngageSession {
  id: string;
  projectId: number;
  ids: string[];
  pageSize: number;
  createdAt: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseEngageQuery(body: string): Parsed<EngageQuery> {
  const form = new URLSearchParams(body);
  for (const unsupported of ['distinct_id', 'distinct_ids', 'data_group_id', 'behaviors', 'as_of_timestamp']) {
    if (form.has(unsupported)) return { ok: false, error: `The emulator does not support ${unsupported}.` };
  }
  const query: EngageQuery = { includeAllUsers: true, page: 0 };

  const cohort = form.get('filter_by_cohort');
  if (cohort !== null) {
    const id = parseJson(cohort) as { id?: unknown } | undefined;
    const cohortId = typeof id?.id === 'string' ? Number(id.id) : id?.id;
    if (typeof cohortId !== 'number' || !Number.isInteger(cohortId)) {
      return { ok: false, error: 'filter_by_cohort must be a JSON object with an integer id.' };
    }
    query.cohortId = cohortId;
  }

  const includeAll = form.get('include_all_users');
  if (includeAll !== null) {
    const value = includeAll.toLowerCase();
    if (!['true', 'false', '1', '0'].includes(value)) return { ok: false, error: 'include_all_users must be a boolean.' };
    query.includeAllUsers = value === 'true' || value === '1';
  }

  const output = form.get('output_properties');
  if (output !== null) {
    const names = parseJson(output);
    if (!Array.isArray(names) || names.some((name) => typeof name !== 'string')) {
      return { ok: false, error: 'output_properties must be a JSON array of strings.' };
    }
    query.outputProperties = names as string[];
  }

  const where = form.get('where');
  if (where !== null && where.trim() !== '') {
    const match = /^\s*defined\s*\(\s*(?:properties|user)\[\s*"([^"]+)"\s*\]\s*\)\s*$/.exec(where);
    if (!match) return { ok: false, error: `The emulator only understands where=defined(properties["X"]), not ${where}.` };
    query.definedProperty = match[1];
  }

  for (const [field, min] of [['page', 0], ['page_size', 1]] as const) {
    const raw = form.get(field);
    if (raw === null) continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) return { ok: false, error: `${field} must be an integer of at least ${min}.` };
    if (field === 'page') query.page = value;
    else query.pageSize = value;
  }

  const sessionId = form.get('session_id');
  if (sessionId) query.sessionId = sessionId;
  if (query.page > 0 && !query.sessionId) {
    return { ok: false, error: 'session_id is required when page is above 0.' };
  }
  return { ok: true, value: query };
}

/** The distinct_ids a new session pages through, in cohort order. */
export function matchingIds(state: MixpanelState, projectId: number, query: EngageQuery): Parsed<string[]> {
  let ids: Iterable<string>;
  if (query.cohortId !== undefined) {
    const cohort = state.cohort(projectId, query.cohortId);
    if (!cohort) return { ok: false, error: `Cohort ${query.cohortId} was not found in project ${projectId}.` };
    ids = cohort.members;
  } else {
    ids = state.profiles(projectId).keys();
  }
  const profiles = state.profiles(projectId);
  const result: string[] = [];
  for (const id of ids) {
    const profile = profiles.get(id);
    if (!profile && !query.includeAllUsers) continue;
    if (query.definedProperty && profile?.[query.definedProperty] === undefined) continue;
    result.push(id);
  }
  return { ok: true, value: result };
}

export function engageBody(
  state: MixpanelState,
  session: EngageSession,
  page: number,
  outputProperties: string[] | undefined,
) {
  const start = page * session.pageSize;
  const profiles = state.profiles(session.projectId);
  // Key order as in the OpenAPI example.
  return {
    page,
    page_size: session.pageSize,
    results: session.ids.slice(start, start + session.pageSize).map((id) => ({
      $distinct_id: id,
      $properties: pick(profiles.get(id) ?? {}, outputProperties),
    })),
    session_id: session.id,
    status: 'ok',
    total: session.ids.length,
  };
}

function pick(properties: Properties, names: string[] | undefined): Properties {
  if (!names) return { ...properties };
  const picked: Properties = {};
  for (const name of names) if (name in properties) picked[name] = properties[name];
  return picked;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
