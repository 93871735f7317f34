/**
 * `/api/app/me` mapped to what the options page needs: which projects the service account sees,
 * with what permissions, and which data view (workspace) id to send with queries.
 */
import type { MeResponse } from './schemas';

export interface MeProject {
  id: number;
  name: string;
  organizationId?: number;
  timezone?: string;
  hasWorkspaces: boolean;
  permissions: string[];
  /** Only when Mixpanel sends one; no public /me sample does. */
  role?: string;
}

export interface MeOrganization {
  id: number;
  name: string;
  role?: string;
  permissions: string[];
}

export interface MeWorkspace {
  id: number;
  name: string;
  projectId?: number;
  isGlobal: boolean;
  isDefault: boolean;
  isRestricted: boolean;
  isVisible: boolean;
}

export interface MeInfo {
  user: { id?: number; email?: string; name?: string };
  projects: MeProject[];
  organizations: MeOrganization[];
  workspaces: MeWorkspace[];
}

export function toMeInfo(me: MeResponse): MeInfo {
  return {
    user: { id: me.user_id ?? undefined, email: me.user_email ?? undefined, name: me.user_name ?? undefined },
    projects: Object.entries(me.projects ?? {}).map(([key, project]) => ({
      id: Number(key),
      name: project.name ?? `Project ${key}`,
      organizationId: project.organization_id,
      timezone: project.timezone ?? undefined,
      hasWorkspaces: project.has_workspaces ?? false,
      permissions: project.permissions ?? [],
      role: project.role ?? undefined,
    })),
    organizations: Object.entries(me.organizations ?? {}).map(([key, org]) => ({
      id: org.id ?? Number(key),
      name: org.name ?? `Organization ${key}`,
      role: org.role ?? undefined,
      permissions: org.permissions ?? [],
    })),
    workspaces: Object.entries(me.workspaces ?? {}).map(([key, workspace]) => ({
      id: workspace.id ?? Number(key),
      name: workspace.name ?? `Data view ${key}`,
      projectId: workspace.project_id,
      isGlobal: workspace.is_global ?? false,
      isDefault: workspace.is_default ?? false,
      isRestricted: workspace.is_restricted ?? false,
      isVisible: workspace.is_visible ?? true,
    })),
  };
}

export function findProject(me: MeInfo, projectId: number): MeProject | undefined {
  return me.projects.find((project) => project.id === projectId);
}

function projectWorkspaces(me: MeInfo, projectId: number): MeWorkspace[] {
  return me.workspaces.filter((workspace) => workspace.projectId === projectId);
}

/**
 * The data view to send as `workspace_id`: the global one ("All Project Data"), else the default.
 * Never a restricted view, which would export only part of a cohort. Undefined when the project
 * has no data views, or none that sees all data.
 */
export function selectWorkspaceId(me: MeInfo, projectId: number): number | undefined {
  const candidates = projectWorkspaces(me, projectId).filter((workspace) => !workspace.isRestricted);
  return (candidates.find((workspace) => workspace.isGlobal) ?? candidates.find((workspace) => workspace.isDefault))
    ?.id;
}

/** Permission the Query API needs (mixpanel/sheets `validate.js`). */
const QUERY_PERMISSION = 'view_base_reports';

/** Mixpanel's project roles, highest first (service-accounts OpenAPI `RoleEnum`). */
const ADMIN_ROLES: ReadonlySet<string> = new Set(['owner', 'admin']);
const ROLES_BELOW_ADMIN: ReadonlySet<string> = new Set(['analyst', 'consumer']);

/**
 * Permissions only a project admin holds. Mixpanel publishes no permission list; these names are
 * read as an admin signal when present, and their absence proves nothing.
 */
const ADMIN_PERMISSIONS: ReadonlySet<string> = new Set([
  'manage_service_accounts',
  'manage_project',
  'manage_project_settings',
  'manage_users',
]);

export interface ProjectAccess {
  /** Explicit project role when Mixpanel sends one (string or object), else undefined. */
  role?: string;
  /** The service account's role in the organisation that owns the project. */
  organizationRole?: string;
  permissions: string[];
  /** The project lists the Query API's permission. */
  canQuery: boolean;
  /** Owner or Admin, on the project or the organisation. */
  isAdmin: boolean;
}

/** How far the service account may go in a project; undefined when /me does not list the project. */
export function projectRole(me: MeInfo, projectId: number): ProjectAccess | undefined {
  const project = findProject(me, projectId);
  if (!project) return undefined;
  const organization = me.organizations.find((org) => org.id === project.organizationId);
  const admin = (role?: string) => role !== undefined && ADMIN_ROLES.has(role);
  return {
    role: project.role,
    organizationRole: organization?.role,
    permissions: project.permissions,
    canQuery: project.permissions.includes(QUERY_PERMISSION),
    isAdmin: admin(project.role) || admin(organization?.role),
  };
}

/** Where the admin decision came from, for the message shown on the options page. */
export type AdminSignal = 'project role' | 'organisation role' | 'project member list' | 'permissions';

export type AdminVerdict =
  | { kind: 'admin'; signal: AdminSignal }
  /** A role known to be below Admin: refuse, naming it. */
  | { kind: 'below-admin'; role: string; signal: AdminSignal }
  /** Nothing settles it: connect, and say so plainly. */
  | { kind: 'unconfirmed' };

/**
 * Decides "admin" from every signal there is. Any admin signal wins; a project role known to be
 * below Admin (from /me or the project's service-account list) refuses; an organisation role of
 * "member" or unknown roles settle nothing, because a service account's project role is set per
 * project (https://docs.mixpanel.com/reference/service-accounts) and /me may not carry it.
 */
export function adminVerdict(access: ProjectAccess, memberListRole?: string): AdminVerdict {
  if (access.role && ADMIN_ROLES.has(access.role)) return { kind: 'admin', signal: 'project role' };
  if (memberListRole && ADMIN_ROLES.has(memberListRole)) return { kind: 'admin', signal: 'project member list' };
  if (access.organizationRole && ADMIN_ROLES.has(access.organizationRole)) return { kind: 'admin', signal: 'organisation role' };
  if (access.permissions.some((permission) => ADMIN_PERMISSIONS.has(permission))) return { kind: 'admin', signal: 'permissions' };
  if (access.role && ROLES_BELOW_ADMIN.has(access.role)) return { kind: 'below-admin', role: access.role, signal: 'project role' };
  if (memberListRole && ROLES_BELOW_ADMIN.has(memberListRole)) {
    return { kind: 'below-admin', role: memberListRole, signal: 'project member list' };
  }
  return { kind: 'unconfirmed' };
}
