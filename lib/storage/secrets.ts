/**
 * The two secrets, kept in the extension's IndexedDB (see db.ts) and read only by the background.
 * No page gets them back: the options page sends them once, on Connect.
 */
import { openDb, STORES } from './db';
import { done, request } from './idb';

export type SecretService = 'clevertap' | 'mixpanel';

export async function saveSecret(service: SecretService, secret: string): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(STORES.secrets, 'readwrite');
  tx.objectStore(STORES.secrets).put({ service, secret });
  await done(tx);
}

export async function readSecret(service: SecretService): Promise<string | undefined> {
  const db = await openDb();
  const row = (await request(db.transaction(STORES.secrets).objectStore(STORES.secrets).get(service))) as
    | { secret?: unknown }
    | undefined;
  return typeof row?.secret === 'string' ? row.secret : undefined;
}

export async function deleteSecret(service: SecretService): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(STORES.secrets, 'readwrite');
  tx.objectStore(STORES.secrets).delete(service);
  await done(tx);
}
