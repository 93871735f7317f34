/**
 * Service-account authentication (https://docs.mixpanel.com/reference/service-accounts) and
 * `GET /api/app/me` (undocumented shape: as Mixpanel's own client models it, mixpanel/mixpanel-headless
 * src/mixpanel_headless/_internal/me.py).
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from '../faults';
import type { EmulatorRequest } from '../hub';
import type { EmulatedServiceAccount, MixpanelRole, MixpanelState } from './state';

/** The cluster hosts /me names in `domain` (Query API authentication docs); the emulator's own copy. */
const CLUSTER_HOSTS = { us: 'mixpanel.com', eu: 'eu.mixpanel.com', in: 'in.mixpanel.com' } as const;
type MixpanelRegion = keyof typeof CLUSTER_HOSTS;

// Permission names other than view_base_reports are invented for the emulator.
const PERMISSIONS: Record<MixpanelRole, string[]> = {
  owner: ['view_base_reports', 'export_cohorts', 'manage_integrations', 'view_access_keys', 'manage_service_accounts'],
  admin: ['view_base_reports', 'export_cohorts', 'manage_integrations', 'view_access_keys', 'manage_service_accounts'],
  analyst: ['view_base_reports', 'export_cohorts'],
  consumer: ['view_base_reports'],
};

export interface Authenticated {
  present: boolean;
  account?: EmulatedServiceAccount;
}

export function authenticate(state: MixpanelState, request: EmulatorRequest): Authenticated {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Basic\s+(.+)$/i.exec(header.trim()) : null;
  if (!match) return { present: false };
  const raw = match[1]!;
  // "our authentication accepts both base64 encoding and plain-text" (https://docs.mixpanel.com/reference/service-accounts).
  // Base64 has no ':', so a colon means plain text.
  const pair = raw.includes(':') ? raw : Buffer.from(raw, 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  if (colon < 0) return { present: true };
  const account = state.serviceAccounts.get(pair.slice(0, colon));
  return { present: true, account: account && account.secret === pair.slice(colon + 1) ? account : undefined };
}

export function answerMe(state: MixpanelState, response: ServerResponse, auth: Authenticated, region: MixpanelRegion): void {
  const account = auth.account;
  const projects = account
    ? [...state.projects.values()].filter((project) => project.region === region && account.roles[project.id])
    : [];
  // A credential is unknown on a cluster where it has no project: the region probe relies on this 401.
  if (!account || projects.length === 0) {
    return sendJson(response, 401, { status: 'error', error: 'Invalid credentials: unable to authenticate request.' });
  }
  const organizations = new Set(projects.map((project) => project.organizationId));
  sendJson(response, 200, {
    status: 'ok',
    results: {
      user_id: 9_000_000 + [...state.serviceAccounts.keys()].indexOf(account.username),
      user_email: account.username,
      user_name: account.username,
      organizations: Object.fromEntries(
        [...organizations].map((id) => [
          id,
          {
            id,
            name: state.organizations.get(id)?.name ?? `Organization ${id}`,
            role: id === account.organizationId ? (account.organizationRole ?? 'member') : 'member',
            permissions: [],
          },
        ]),
      ),
      projects: Object.fromEntries(
        projects.map((project) => [
          project.id,
          {
            name: project.name,
            organization_id: project.organizationId,
            timezone: project.timezone ?? 'US/Pacific',
            has_workspaces: (project.dataViews?.length ?? 0) > 0,
            domain: CLUSTER_HOSTS[region],
            type: 'PROJECT',
            permissions: PERMISSIONS[account.roles[project.id]!],
          },
        ]),
      ),
      workspaces: Object.fromEntries(
        projects.flatMap((project) =>
          (project.dataViews ?? []).map((view) => [
            view.id,
            {
              id: view.id,
              name: view.name,
              project_id: project.id,
              is_default: view.isDefault ?? false,
              is_global: view.isGlobal,
              is_restricted: view.isRestricted ?? false,
              is_visible: true,
            },
          ]),
        ),
      ),
    },
  });
}

