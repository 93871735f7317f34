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
import { MessageSchema, SENDERS, type Message, type MessageOf, type MessageType, type Replies, type Reply } from '../../lib/messages';
import { readAppState, updateAppState } from '../../lib/storage/app-state';
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

async function disconnectService(which: 'clevertap' | 'mixpanel', { service }: RouterContext): Promise<null> {
  await disconnect(which);
  await service.pauseAll(which === 'clevertap' ? 'CleverTap disconnected' : 'Mixpanel disconnected');
  return null;
}

export const handlers: Handlers = {
  ping: async (_message, { startedAt }) => ({ startedAt }),
  'state.get': () => readStateView(),
  'cohorts.list': async (message, { env }) => {
    const { connections } = await readAppState();
    if (!connections.mixpanel) throw new NotConnectedError('mixpanel');
    const client = await mixpanelClient(connections, env);
    return cachedCohorts(connections.mixpanel.projectId, env.now(), () => client.listCohorts(), message.refresh);
  },
  'cohort.preview': async (message, { env }) =>
    previewCohort(await mixpanelClient((await readAppState()).connections, env), message.cohortId),
  'sync.start': async (message, { service }) =>
    toSyncView(await service.start(message.cohortId, message.cohortName, message.syncType)),
  'sync.now': async (message, { service }) => toSyncView(await service.syncNow(message.syncId)),
  'sync.pause': async (message, { service }) => toSyncView(await service.pause(message.syncId)),
  'sync.resume': async (message, { service }) => toSyncView(await service.resume(message.syncId)),
  'sync.stop': async (message, { service }) => {
    await service.stop(message.syncId);
    return null;
  },
  'sync.review': async (message, { service }) => toSyncView(await service.review(message.syncId, message.decision)),
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
  'settings.save': async ({ settings }) => {
    await updateAppState((state) => ({ ...state, settings }));
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
