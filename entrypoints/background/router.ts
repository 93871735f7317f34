/**
 * The background's message router: every message is parsed against the contract and checked
 * against who sent it before anything runs. Refusals say nothing about the payload in logs.
 * Each message type has its own handler, typed so a handler that answers the wrong reply for its
 * message does not compile (see test/unit/hardening/router-types.test.ts). A plain table rather
 * than @webext-core/messaging: that library dispatches by its own envelope to per-type listeners,
 * so the one zod parse of the whole union and the one sender check before any handler would have
 * to be repeated in every listener, and its envelope would become part of what Mixpanel's tab sends.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { hostAccessMessage } from '../../lib/host-access';
import { MessageSchema, SENDERS, type Message, type MessageOf, type MessageType, type Replies, type Reply, type SyncView } from '../../lib/messages';
import type { Sync } from '../../lib/storage/schema';
import { listHistory } from '../../lib/storage/runs';
import { mixpanelClient, NotConnectedError } from '../../lib/sync/clients';
import { cachedCohorts, previewCohort } from '../../lib/sync/cohorts';
import { connectCleverTap, connectMixpanel, disconnect } from '../../lib/sync/connections';
import type { Environment } from '../../lib/sync/environment';
import { runChangesCsv } from '../../lib/sync/history';
import type { SyncService } from '../../lib/sync/service';
import { senderKind } from './senders';
import { readStateView } from './state-view';
import { toRunRecordView, toSyncView } from './views';

export { senderKind } from './senders';

export interface RouterContext {
  service: SyncService;
  env: Environment;
  /** When this worker started, for `ping`. */
  startedAt: number;
}

export type Handler<K extends MessageType> = (message: MessageOf<K>, ctx: RouterContext) => Promise<Replies[K]>;
export type Handlers = { [K in MessageType]: Handler<K> };

/** A connect without host access would fail as "could not reach": name the real cause. */
async function assertHostAccess(env: Environment): Promise<void> {
  const missing = (await env.missingHostAccess?.()) ?? [];
  if (missing.length > 0) throw new Error(hostAccessMessage(missing));
}

async function disconnectService(which: 'clevertap' | 'mixpanel', { service, env }: RouterContext): Promise<null> {
  await disconnect(which, env);
  await service.pauseAll(which === 'clevertap' ? 'CleverTap disconnected' : 'Mixpanel disconnected');
  return null;
}

/** A command's reply: the sync as pages show it, with its live progress. */
async function syncView(sync: Sync, { env }: RouterContext): Promise<SyncView> {
  const progress = (await env.storage.progress.list()).find((record) => record.syncId === sync.id);
  return toSyncView(sync, progress);
}

export const handlers: Handlers = {
  ping: async (_message, { startedAt }) => ({ startedAt }),
  'state.get': (_message, { env }) => readStateView(env.storage),
  'cohorts.list': async (message, { env }) => {
    const { connections } = await env.storage.appState.read();
    if (!connections.mixpanel) throw new NotConnectedError('mixpanel');
    const client = await mixpanelClient(connections, env);
    return cachedCohorts(env, connections.mixpanel.projectId, () => client.listCohorts(), message.refresh);
  },
  'cohort.preview': async (message, { env }) =>
    previewCohort(await mixpanelClient((await env.storage.appState.read()).connections, env), message.cohortId),
  'sync.start': async (message, ctx) => syncView(await ctx.service.start(message.cohortId, message.cohortName, message.syncType), ctx),
  'sync.now': async (message, ctx) => syncView(await ctx.service.syncNow(message.syncId), ctx),
  'sync.pause': async (message, ctx) => syncView(await ctx.service.pause(message.syncId), ctx),
  'sync.resume': async (message, ctx) => syncView(await ctx.service.resume(message.syncId), ctx),
  'sync.stop': async (message, { service }) => {
    await service.stop(message.syncId);
    return null;
  },
  'sync.review': async (message, ctx) => syncView(await ctx.service.review(message.syncId, message.decision), ctx),
  'history.get': async (message) => (await listHistory(message.syncId)).map(toRunRecordView),
  'history.csv': (message) => runChangesCsv(message.runId),
  'clevertap.connect': async ({ type: _type, ...input }, { env }) => {
    await assertHostAccess(env);
    return connectCleverTap(input, env);
  },
  'mixpanel.connect': async ({ type: _type, ...input }, { env }) => {
    await assertHostAccess(env);
    return connectMixpanel(input, env);
  },
  'clevertap.disconnect': (_message, ctx) => disconnectService('clevertap', ctx),
  'mixpanel.disconnect': (_message, ctx) => disconnectService('mixpanel', ctx),
  'settings.save': async ({ settings }, { env }) => {
    await env.storage.appState.update((state) => ({ ...state, settings }));
    return settings;
  },
  'options.open': async () => {
    await browser.runtime.openOptionsPage();
    return null;
  },
};

/** The one place a message meets its handler: TypeScript cannot follow `type` through the lookup. */
function dispatch(message: Message, ctx: RouterContext): Promise<Replies[MessageType]> {
  const handler = handlers[message.type] as (message: Message, ctx: RouterContext) => Promise<Replies[MessageType]>;
  return handler(message, ctx);
}

export function createRouter(service: SyncService, env: Environment, startedAt: number) {
  const ctx: RouterContext = { service, env, startedAt };
  return async (raw: unknown, sender: Runtime.MessageSender): Promise<Reply<unknown>> => {
    const kind = senderKind(sender);
    const parsed = MessageSchema.safeParse(raw);
    if (!kind || !parsed.success || !SENDERS[parsed.data.type].includes(kind)) {
      console.warn('Refused a message', { sender: kind ?? 'unknown', valid: parsed.success });
      return { ok: false, error: 'This request is not allowed.' };
    }
    try {
      return { ok: true, value: await dispatch(parsed.data, ctx) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : 'Unexpected error.' };
    }
  };
}
