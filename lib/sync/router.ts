/**
 * The background's message router: every message is parsed against the contract and checked
 * against who sent it before anything runs. Refusals say nothing about the payload in logs.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { hostAccessMessage } from '../host-access';
import { MIXPANEL_HOSTS } from '../permissions';
import { MessageSchema, SENDERS, type Message, type Replies, type Reply, type SenderKind } from '../messages';
import { readAppState, updateAppState } from '../storage/app-state';
import { listHistory } from '../storage/runs';
import { cachedCohorts, previewCohort } from './cohorts';
import { mixpanelClient, NotConnectedError } from './clients';
import { connectCleverTap, connectMixpanel, disconnect } from './connections';
import type { Environment } from './environment';
import { runChangesCsv } from './history';
import type { SyncService } from './service';

/** A connect without host access would fail as "could not reach": name the real cause. */
async function assertHostAccess(env: Environment): Promise<void> {
  const missing = (await env.missingHostAccess?.()) ?? [];
  if (missing.length > 0) throw new Error(hostAccessMessage(missing));
}

export function senderKind(sender: Runtime.MessageSender): SenderKind | undefined {
  if (sender.id !== browser.runtime.id || !sender.url || !URL.canParse(sender.url)) return undefined;
  const url = new URL(sender.url);
  // Scheme and host, not `origin`: URLs without a host (data:, blob:) all have the origin "null".
  const ours = new URL(browser.runtime.getURL('/'));
  if (url.protocol === ours.protocol && url.host === ours.host && url.host !== '') return 'extension-page';
  const fromMixpanel = url.protocol === 'https:' && (MIXPANEL_HOSTS as readonly string[]).includes(url.hostname);
  // Only the content script of a tab's top frame: the manifest injects nowhere else.
  const topFrame = sender.frameId === undefined || sender.frameId === 0;
  return sender.tab && fromMixpanel && topFrame ? 'mixpanel-tab' : undefined;
}

export function createRouter(service: SyncService, env: Environment, startedAt: number) {
  return async (raw: unknown, sender: Runtime.MessageSender): Promise<Reply<unknown>> => {
    const kind = senderKind(sender);
    const parsed = MessageSchema.safeParse(raw);
    if (!kind || !parsed.success || !SENDERS[parsed.data.type].includes(kind)) {
      console.warn('Refused a message', { sender: kind ?? 'unknown', valid: parsed.success });
      return { ok: false, error: 'This request is not allowed.' };
    }
    try {
      return { ok: true, value: await handle(parsed.data, service, env, startedAt) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : 'Unexpected error.' };
    }
  };
}

async function handle(
  message: Message,
  service: SyncService,
  env: Environment,
  startedAt: number,
): Promise<Replies[Message['type']]> {
  switch (message.type) {
    case 'ping':
      return { startedAt };
    case 'state.get':
      return readAppState();
    case 'cohorts.list': {
      const { connections } = await readAppState();
      if (!connections.mixpanel) throw new NotConnectedError('mixpanel');
      const client = await mixpanelClient(connections, env);
      return cachedCohorts(env, connections.mixpanel.projectId, () => client.listCohorts(), message.refresh);
    }
    case 'cohort.preview':
      return previewCohort(await mixpanelClient((await readAppState()).connections, env), message.cohortId);
    case 'sync.start':
      return service.start(message.cohortId, message.cohortName, message.syncType);
    case 'sync.now':
      return service.syncNow(message.syncId);
    case 'sync.pause':
      return service.pause(message.syncId);
    case 'sync.resume':
      return service.resume(message.syncId);
    case 'sync.stop':
      await service.stop(message.syncId);
      return null;
    case 'sync.review':
      return service.review(message.syncId, message.decision);
    case 'history.get':
      return listHistory(message.syncId);
    case 'history.csv':
      return runChangesCsv(message.runId);
    case 'clevertap.connect': {
      const { type: _type, ...input } = message;
      await assertHostAccess(env);
      return connectCleverTap(input, env);
    }
    case 'mixpanel.connect': {
      const { type: _type, ...input } = message;
      await assertHostAccess(env);
      return connectMixpanel(input, env);
    }
    case 'clevertap.disconnect':
    case 'mixpanel.disconnect': {
      const which = message.type === 'clevertap.disconnect' ? 'clevertap' : 'mixpanel';
      await disconnect(which, env);
      await service.pauseAll(which === 'clevertap' ? 'CleverTap disconnected' : 'Mixpanel disconnected');
      return null;
    }
    case 'settings.save':
      await updateAppState((state) => ({ ...state, settings: message.settings }));
      return message.settings;
    case 'options.open':
      await browser.runtime.openOptionsPage();
      return null;
  }
}
