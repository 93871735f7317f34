/**
 * What Mixpanel sends back, parsed at the boundary. Unknown fields are kept (loose objects) and
 * fields no public source guarantees are optional, so an additive change on Mixpanel's side never
 * breaks a sync.
 */
import { z } from 'zod';

/** One item of `POST /api/query/cohorts/list` (https://docs.mixpanel.com/reference/cohorts-list). */
const cohortListItemSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  count: z.number().int().nonnegative().optional(),
  description: z.string().nullish(),
  created: z.string().nullish(),
  // 0/1 per the spec; a boolean costs nothing to accept.
  is_visible: z.union([z.number(), z.boolean()]).nullish(),
  project_id: z.number().int().optional(),
});

/** The list is a bare array, not wrapped in an object. */
export const cohortListSchema = z.array(cohortListItemSchema);

/** One entry of `results` as the engine reads it: the id as text, the properties as an object. */
interface EngageEntry {
  $distinct_id: string;
  $properties: Record<string, unknown>;
}

/**
 * One profile. The spec types `$distinct_id` as integer, real ids are strings: both are kept as a
 * string, anything else becomes ''. Properties that are not an object become {}. So one odd entry
 * never fails a whole page and nothing is dropped unseen: the engine counts it as skipped.
 *
 * Hand-written rather than a zod schema per entry: at pages of 10,000 profiles a per-entry zod parse
 * cost the worker about 100 ms a page, most of the read's time at that page size (BENCHMARKS.md); this loop
 * costs about 1 ms. The envelope below is still zod.
 */
function engageEntry(entry: unknown): EngageEntry {
  if (!isObject(entry)) return { $distinct_id: '', $properties: {} };
  const id = entry.$distinct_id;
  const properties = entry.$properties;
  return {
    $distinct_id: typeof id === 'string' ? id : typeof id === 'number' ? String(id) : '',
    $properties: isObject(properties) ? properties : {},
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `POST /api/query/engage` (https://docs.mixpanel.com/reference/engage-query). `total` is read as the
 * count across all pages, as Mixpanel's own tools do (mixpanel/mixpanel-utils paginator.py).
 */
export const engageResponseSchema = z.looseObject({
  page: z.number().int().nonnegative(),
  page_size: z.number().int().positive(),
  session_id: z.string().nullish(),
  status: z.string().optional(),
  total: z.number().int().nonnegative().optional(),
  results: z.custom<unknown[]>(Array.isArray, 'Expected an array of profiles').transform((entries) => entries.map(engageEntry)),
});
export type EngageResponse = z.infer<typeof engageResponseSchema>;

/**
 * A role as /me may send it: `"admin"`, `{"name": "Admin"}`, `{"role": "admin"}`, absent, or a shape
 * nobody has seen. It only informs the admin check, so anything unreadable becomes "no role" rather
 * than a failed connection.
 */
const roleSchema = z
  .unknown()
  .transform((value): string | undefined => {
    if (typeof value === 'string') return value.trim().toLowerCase() || undefined;
    if (value && typeof value === 'object') {
      const named = (value as Record<string, unknown>).name ?? (value as Record<string, unknown>).role;
      if (typeof named === 'string') return named.trim().toLowerCase() || undefined;
    }
    return undefined;
  })
  .optional();

/** Names are only shown: a missing or odd one never fails the answer. */
const lenientName = z.string().optional().catch(undefined);

const meOrganizationSchema = z.looseObject({
  id: z.number().int().optional().catch(undefined),
  name: lenientName,
  role: roleSchema,
  permissions: z.array(z.string()).nullish(),
});

const meProjectSchema = z.looseObject({
  name: lenientName,
  organization_id: z.number().int().optional(),
  timezone: z.string().nullish().catch(undefined),
  has_workspaces: z.boolean().optional(),
  domain: z.string().nullish().catch(undefined),
  type: z.string().nullish().catch(undefined),
  // Needed for the Query API check: strict.
  permissions: z.array(z.string()).nullish(),
  // No public /me sample or client shows a per-project role (Mixpanel's own MeProjectInfo model in
  // mixpanel/mixpanel-headless has none); read it in any shape.
  role: roleSchema,
});

const meWorkspaceSchema = z.looseObject({
  id: z.number().int(),
  name: lenientName,
  project_id: z.number().int().optional(),
  is_default: z.boolean().optional(),
  is_global: z.boolean().optional(),
  is_restricted: z.boolean().optional(),
  is_visible: z.boolean().optional(),
});

const meResultsSchema = z.looseObject({
  user_id: z.number().int().nullish().catch(undefined),
  user_email: z.string().nullish().catch(undefined),
  user_name: z.string().nullish().catch(undefined),
  organizations: z.record(z.string(), meOrganizationSchema).nullish(),
  // Project ids are what the connection is keyed by: strict.
  projects: z.record(z.string().regex(/^\d+$/, 'a project id must be a number'), meProjectSchema).nullish(),
  workspaces: z.record(z.string(), meWorkspaceSchema).nullish(),
});

/**
 * `GET /api/app/me`: undocumented; wrapped in `{status, results}` as Mixpanel's own client reads it
 * (mixpanel/mixpanel-headless src/mixpanel_headless/_internal/me.py), tolerated bare.
 */
export const meResponseSchema = z.preprocess(
  (body) =>
    body && typeof body === 'object' && 'results' in body && typeof body.results === 'object' ? body.results : body,
  meResultsSchema,
);
export type MeResponse = z.infer<typeof meResponseSchema>;

/** `GET /api/app/projects/{id}/service-accounts` (service-accounts OpenAPI); only username and role are used. */
export const projectServiceAccountsSchema = z.looseObject({
  results: z.array(
    z.looseObject({
      id: z.number().int().optional().catch(undefined),
      username: z.string().optional().catch(undefined),
      role: roleSchema,
    }),
  ),
});

/** Error bodies: `{error, status}` per the App API spec, but Mixpanel may also send text or nothing. */
export const errorBodySchema = z.looseObject({
  error: z.string(),
  status: z.string().optional(),
  request: z.string().optional(),
});

/** The server's own explanation, from a JSON error body or plain text; '' when there is none. */
export function errorTextFromBody(body: string): string {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(body));
    if (parsed.success) return parsed.data.error;
  } catch {
    // not JSON: fall through to the raw text
  }
  return /^\s*[[{]/.test(body) ? '' : body.trim();
}
