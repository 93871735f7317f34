/**
 * Builds API clients from the saved connections and secrets; only the background calls this.
 * Every Mixpanel client gets the project's query budget here, so a run, the cohort list and a
 * preview all keep to the same hourly and concurrent share.
 */
import { CleverTapClient } from '../clevertap/client';
import { MixpanelClient } from '../mixpanel/client';
import { readSecret } from '../storage/secrets';
import type { Connections } from '../storage/schema';
import { budgetFor } from './budget';
import type { Environment } from './environment';
import { NotConnectedError } from './errors';

export { NotConnectedError } from './errors';

export async function mixpanelClient(
  connections: Connections,
  env: Environment,
  /** Called for every query the budget lets through: the run's query count. */
  onQuery?: () => void,
): Promise<MixpanelClient> {
  const connection = connections.mixpanel;
  const secret = connection && (await readSecret('mixpanel'));
  if (!connection || !secret) throw new NotConnectedError('mixpanel');
  const { queryBudget } = (await env.storage.appState.read()).settings;
  const budget = budgetFor(connection.projectId, queryBudget, env.storage.budget, () => env.now());
  return new MixpanelClient(
    {
      region: connection.region,
      username: connection.username,
      secret,
      projectId: connection.projectId,
      workspaceId: connection.workspaceId,
    },
    {
      fetch: env.fetch,
      retry: env.retry,
      gate: (kind) => {
        onQuery?.();
        return budget.gate(kind);
      },
      onRateLimited: budget.onRateLimited,
      // As many pages in flight as the budget lets run at once.
      pageConcurrency: queryBudget.concurrent,
    },
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
