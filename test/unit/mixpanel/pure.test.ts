import { describe, expect, it } from 'vitest';
import { describeMixpanelError, parseQueryLoad } from '../../../lib/mixpanel/errors';
import { projectRole, selectWorkspaceId, toMeInfo, type MeInfo } from '../../../lib/mixpanel/me';
import { MIXPANEL_REGIONS } from '../../../lib/mixpanel/regions';
import { engageResponseSchema, errorTextFromBody, meResponseSchema } from '../../../lib/mixpanel/schemas';

describe('regions', () => {
  it('names the data residencies', () => {
    expect(Object.values(MIXPANEL_REGIONS).map((region) => region.label)).toEqual(['US', 'EU', 'India']);
  });
});

describe('error text', () => {
  it('parses the load figures of a 429', () => {
    expect(
      parseQueryLoad('Query rate limit exceeded for project_id: 2526451. 1/5 queries running concurrently and 61/60 queries running in the last hour.'),
    ).toEqual({ concurrent: { used: 1, limit: 5 }, hourly: { used: 61, limit: 60 } });
    expect(parseQueryLoad('Too many requests')).toEqual({});
  });

  it('reads {error}, plain text or nothing', () => {
    expect(errorTextFromBody('{"error": "bad where", "status": "error"}')).toBe('bad where');
    expect(errorTextFromBody('Service Unavailable')).toBe('Service Unavailable');
    expect(errorTextFromBody('')).toBe('');
    expect(errorTextFromBody('{"unexpected": 1}')).toBe('');
  });

  it('never repeats the secret or an Authorization header', () => {
    const context = { projectId: 1, region: 'eu' as const, secret: 'top-secret' };
    const { message } = describeMixpanelError(400, '{"error": "echo top-secret Basic dXNlcjp0b3Atc2VjcmV0"}', context);
    expect(message).not.toContain('top-secret');
    expect(message).not.toContain('dXNlcjp0b3Atc2VjcmV0');
    expect(describeMixpanelError(401, '', context).message).toContain('EU region (eu.mixpanel.com)');
  });
});

describe('schemas', () => {
  it('engage: string or number ids, missing properties, no session on a single page', () => {
    const parsed = engageResponseSchema.parse({
      page: 0,
      page_size: 1000,
      results: [{ $distinct_id: 12 }, { $distinct_id: '$device:abc', $properties: null }],
      status: 'ok',
      total: 2,
      extra: true,
    });
    expect(parsed.results).toEqual([
      { $distinct_id: '12', $properties: {} },
      { $distinct_id: '$device:abc', $properties: {} },
    ]);
  });

  it('engage: an entry of any other shape is a profile without id or properties, never a failed page', () => {
    const results = [null, 7, 'x', [], { $distinct_id: true }, { $distinct_id: 1.5, $properties: [] }, { $properties: 'x' }, { $distinct_id: 'a', $properties: { b: 1 } }];
    const parsed = engageResponseSchema.parse({ page: 0, page_size: 1000, results });
    expect(parsed.results).toEqual([
      { $distinct_id: '', $properties: {} },
      { $distinct_id: '', $properties: {} },
      { $distinct_id: '', $properties: {} },
      { $distinct_id: '', $properties: {} },
      { $distinct_id: '', $properties: {} },
      { $distinct_id: '1.5', $properties: {} },
      { $distinct_id: '', $properties: {} },
      { $distinct_id: 'a', $properties: { b: 1 } },
    ]);
    expect(engageResponseSchema.safeParse({ page: 0, page_size: 1000, results: { length: 1 } }).success).toBe(false);
  });

  it('me: wrapped or bare', () => {
    const results = { projects: { '5': { name: 'P' } } };
    expect(meResponseSchema.parse({ status: 'ok', results }).projects).toEqual(results.projects);
    expect(meResponseSchema.parse(results).projects).toEqual(results.projects);
  });
});

describe('selectWorkspaceId and projectRole', () => {
  const me = (workspaces: MeInfo['workspaces']): MeInfo => ({
    user: {},
    projects: [{ id: 5, name: 'P', organizationId: 9, hasWorkspaces: true, permissions: ['view_base_reports'], role: 'analyst' }],
    organizations: [{ id: 9, name: 'O', role: 'member', permissions: [] }],
    workspaces,
  });
  const view = (id: number, flags: Partial<MeInfo['workspaces'][number]>) => ({
    id,
    name: `v${id}`,
    projectId: 5,
    isGlobal: false,
    isDefault: false,
    isRestricted: false,
    isVisible: true,
    ...flags,
  });

  it('prefers the global view, then the default, never a restricted one or another project’s', () => {
    expect(selectWorkspaceId(me([view(1, { isDefault: true }), view(2, { isGlobal: true })]), 5)).toBe(2);
    expect(selectWorkspaceId(me([view(1, {}), view(3, { isDefault: true })]), 5)).toBe(3);
    expect(selectWorkspaceId(me([view(1, { isGlobal: true, isRestricted: true })]), 5)).toBeUndefined();
    expect(selectWorkspaceId(me([view(4, { isGlobal: true, projectId: 6 })]), 5)).toBeUndefined();
    expect(selectWorkspaceId(me([]), 5)).toBeUndefined();
  });

  it('reads a per-project role when Mixpanel sends one', () => {
    expect(projectRole(me([]), 5)).toEqual({
      role: 'analyst',
      organizationRole: 'member',
      permissions: ['view_base_reports'],
      canQuery: true,
      isAdmin: false,
    });
  });

  it('toMeInfo tolerates a sparse body', () => {
    expect(toMeInfo({})).toEqual({ user: {}, projects: [], organizations: [], workspaces: [] });
  });
});
