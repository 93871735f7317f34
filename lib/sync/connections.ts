/**
 * Connect and disconnect CleverTap and Mixpanel: check the credentials against the real service,
 * then keep the secret in IndexedDB and only the public part in the app state.
 */
import { CleverTapClient } from '../clevertap/client';
import { isApiError } from '../http/errors';
import { MixpanelClient } from '../mixpanel/client';
import { adminVerdict, findProject, projectRole, selectWorkspaceId, type AdminVerdict, type ProjectAccess } from '../mixpanel/me';
import type { CleverTapConnectResult, MixpanelConnectResult } from '../messages';
import type { CleverTapConnection, MixpanelConnection } from '../storage/schema';
import { deleteSecret, saveSecret } from '../storage/secrets';
import { saveCohortCache } from './cohorts';
import type { Environment } from './environment';

export async function connectCleverTap(
  input: { accountId: string; passcode: string; region: CleverTapConnection['region'] },
  env: Environment,
): Promise<CleverTapConnectResult> {
  const client = new CleverTapClient(input, { fetch: env.fetch, retry: { ...env.retry, attempts: 2 } });
  const check = await client.checkCredentials();
  if (!check.ok) return { connected: false, ...check };
  await saveSecret('clevertap', input.passcode);
  const connection: CleverTapConnection = { accountId: input.accountId, region: input.region, connectedAt: env.now() };
  await env.storage.appState.update((state) => ({ ...state, connections: { ...state.connections, clevertap: connection } }));
  return { connected: true, connection };
}

export async function connectMixpanel(
  input: { username: string; secret: string; projectId: number; region: MixpanelConnection['region'] },
  env: Environment,
): Promise<MixpanelConnectResult> {
  const options = { fetch: env.fetch, retry: { ...env.retry, attempts: 2 } };
  try {
    const me = await new MixpanelClient(input, options).me();
    const access = projectRole(me, input.projectId);
    if (!access) {
      return {
        connected: false,
        reason: 'no-project',
        message: `This service account has no access to project ${input.projectId} in this data residency. Check the Project ID, and that the project lives in the ${input.region.toUpperCase()} region.`,
      };
    }
    const client = new MixpanelClient(input, options);
    const verdict = await decideAdmin(client, access, input.username, input.projectId);
    if (verdict.kind === 'below-admin') {
      return {
        connected: false,
        reason: 'not-admin',
        message: `The service account’s role in project ${input.projectId} is “${capitalise(verdict.role)}”. Cohort Sync is for project admins: give the service account the Admin or Owner role in this project.`,
      };
    }
    const workspaceId = findProject(me, input.projectId)?.hasWorkspaces ? selectWorkspaceId(me, input.projectId) : undefined;
    const connection: MixpanelConnection = {
      username: input.username,
      projectId: input.projectId,
      region: input.region,
      ...(workspaceId === undefined ? {} : { workspaceId }),
      projectName: findProject(me, input.projectId)?.name,
      adminConfirmed: verdict.kind === 'admin',
      connectedAt: env.now(),
    };
    let cohorts;
    try {
      cohorts = await new MixpanelClient({ ...input, workspaceId }, options).listCohorts();
    } catch (error) {
      if (isApiError(error) && (error.kind === 'network' || error.kind === 'timeout')) throw error;
      return {
        connected: false,
        reason: 'cannot-list-cohorts',
        message: `The service account cannot list this project’s cohorts: ${isApiError(error) ? error.message : 'unexpected error'}`,
      };
    }
    await saveSecret('mixpanel', input.secret);
    await env.storage.appState.update((state) => ({ ...state, connections: { ...state.connections, mixpanel: connection } }));
    await saveCohortCache(env.storage.cohortCache, input.projectId, cohorts, env.now());
    return { connected: true, connection };
  } catch (error) {
    if (isApiError(error) && error.kind === 'auth') {
      return {
        connected: false,
        reason: 'bad-credentials',
        message: 'Mixpanel rejected the service account: check its username and secret, and the data residency.',
      };
    }
    if (isApiError(error) && (error.kind === 'network' || error.kind === 'timeout')) {
      return { connected: false, reason: 'network', message: 'Could not reach Mixpanel: check the network connection.' };
    }
    throw error;
  }
}

/**
 * /me first; when it does not settle the role, the project's service-account list, which carries
 * each account's project role. That list may be closed to non-admins or absent: then it says nothing.
 */
async function decideAdmin(
  client: MixpanelClient,
  access: ProjectAccess,
  username: string,
  projectId: number,
): Promise<AdminVerdict> {
  const fromMe = adminVerdict(access);
  if (fromMe.kind !== 'unconfirmed') return fromMe;
  try {
    const members = await client.projectServiceAccounts(projectId);
    const self = members.find((member) => member.username === username);
    return adminVerdict(access, self?.role);
  } catch (error) {
    if (isApiError(error) && (error.kind === 'network' || error.kind === 'timeout')) throw error;
    return fromMe;
  }
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export async function disconnect(service: 'clevertap' | 'mixpanel', env: Environment): Promise<void> {
  await deleteSecret(service);
  await env.storage.appState.update((state) => ({ ...state, connections: { ...state.connections, [service]: null } }));
}
