/** /api/app/me parsed leniently where a field is not needed, strictly where it is. */
import { describe, expect, it } from 'vitest';
import { adminVerdict, projectRole, toMeInfo } from '../../../lib/mixpanel/me';
import { meResponseSchema } from '../../../lib/mixpanel/schemas';

const me = (project: Record<string, unknown>, organization: Record<string, unknown> = { id: 1, role: 'member' }) =>
  meResponseSchema.safeParse({
    status: 'ok',
    results: {
      user_id: 'not-a-number',
      organizations: { 1: organization },
      projects: { 42: { organization_id: 1, permissions: ['view_base_reports'], brand_new_field: { a: 1 }, ...project } },
    },
  });

describe('/me shapes', () => {
  it.each([
    ['a string', 'admin', 'admin'],
    ['an object with a name', { name: 'Admin' }, 'admin'],
    ['an object with a role', { role: 'Owner' }, 'owner'],
    ['absent', undefined, undefined],
    ['an unknown shape', [1, 2], undefined],
  ])('reads a project role given as %s', (_, role, expected) => {
    const parsed = me({ role });
    expect(parsed.success).toBe(true);
    expect(projectRole(toMeInfo(parsed.data!), 42)?.role).toBe(expected);
  });

  it('tolerates missing and odd names and extra fields', () => {
    const parsed = me({ name: 17 }, { id: 1, name: null });
    expect(parsed.success).toBe(true);
    expect(toMeInfo(parsed.data!).projects[0]).toMatchObject({ id: 42, name: 'Project 42' });
  });

  it('is strict about project ids and permissions', () => {
    expect(meResponseSchema.safeParse({ projects: { 'not-an-id': { permissions: [] } } }).success).toBe(false);
    expect(me({ permissions: 'view_base_reports' }).success).toBe(false);
  });

  it('decides admin from every signal, and refuses only a known lower role', () => {
    const access = { permissions: ['view_base_reports'], canQuery: true, isAdmin: false };
    expect(adminVerdict({ ...access, role: 'admin' })).toMatchObject({ kind: 'admin', signal: 'project role' });
    expect(adminVerdict({ ...access, organizationRole: 'owner' })).toMatchObject({ kind: 'admin', signal: 'organisation role' });
    expect(adminVerdict(access, 'admin')).toMatchObject({ kind: 'admin', signal: 'project member list' });
    expect(adminVerdict({ ...access, permissions: ['manage_service_accounts'] })).toMatchObject({ kind: 'admin', signal: 'permissions' });
    expect(adminVerdict({ ...access, role: 'analyst' })).toEqual({ kind: 'below-admin', role: 'analyst', signal: 'project role' });
    expect(adminVerdict(access, 'consumer')).toMatchObject({ kind: 'below-admin', role: 'consumer' });
    expect(adminVerdict({ ...access, organizationRole: 'member' })).toEqual({ kind: 'unconfirmed' });
  });
});
