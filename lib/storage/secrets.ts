/**
 * The two secrets, kept in the extension's IndexedDB (see db.ts) and read only by the background.
 * No page gets them back: the options page sends them once, on Connect.
 */
import { openIdb, STORES } from './db';

type SecretService = 'clevertap' | 'mixpanel';

export async function saveSecret(service: SecretService, secret: string): Promise<void> {
  await (await openIdb()).put(STORES.secrets, { service, secret });
}

export async function readSecret(service: SecretService): Promise<string | undefined> {
  const row = (await (await openIdb()).get(STORES.secrets, service)) as { secret?: unknown } | undefined;
  return typeof row?.secret === 'string' ? row.secret : undefined;
}

export async function deleteSecret(service: SecretService): Promise<void> {
  await (await openIdb()).delete(STORES.secrets, service);
}
