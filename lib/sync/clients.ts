/** Builds API clients from the saved connections and secrets; only the background calls this. */
import { CleverTapClient } from '../clevertap/client';
import { MixpanelClient, type MixpanelClientOptions } from '../mixpanel/client';
import { readSecret } from '../storage/secrets';
import type { Connections } from '../storage/schema';
import type { Environment } from './environment';

export class NotConnectedError extends Error {
  override readonly name = 'NotConnectedError';
  constructor(readonly service: 'clevertap' | 'mixpanel') {
    super(service === 'clevertap' ? 'CleverTap disconnected' : 'Mixpanel disconnected');
  }
}

export async function mixpanelClient(
  connections: Connections,
  env: Environment,
  options: Pick<MixpanelClientOptions, 'gate' | 'onRateLimited' | 'pageConcurrency'> = {},
): Promise<MixpanelClient> {
  const connection = connections.mixpanel;
  const secret = connection && (await readSecret('mixpanel'));
  if (!connection || !secret) throw new NotConnectedError('mixpanel');
  return new MixpanelClient(
    {
      region: connection.region,
      username: connection.username,
      secret,
      projectId: connection.projectId,
      workspaceId: connection.workspaceId,
    },
    { fetch: env.fetch, retry: env.retry, ...options },
  );
}

export async function clevertapClient(
  connections: Connections,
  env: Environment,
  onRequest?: () => void,
): Promise<CleverTapClient> {
  const connection = connections.clevertap;
  const passcode = connection && (await readSecret('clevertap'));
  if (!connection || !passcode) throw new NotConnectedError('clevertap');
  return new CleverTapClient(
    { accountId: connection.accountId, passcode, region: connection.region },
    { fetch: env.fetch, retry: env.retry, onRequest },
  );
}
