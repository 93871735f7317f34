/**
 * The naive baseline, as common connectors export: every engage page one after another, then every
 * upload batch one after another, then the custom list. Same clients (lib/mixpanel, lib/clevertap),
 * same emulators, same latencies as the engine's runs; no IndexedDB, members held in memory.
 */
import { CleverTapClient, type ProfileRecord } from '../../lib/clevertap/client';
import { MixpanelClient } from '../../lib/mixpanel/client';
import type { Member } from '../../lib/storage/snapshots';
import { classifyProfile, OUTPUT_PROPERTIES } from '../../lib/sync/classify';
import { EMULATOR_CREDENTIALS } from '../../test/emulators';
import type { EngineSession } from './engine';

export interface NaiveResult {
  wallMs: number;
  engageCalls: number;
  uploadRequests: number;
  exported: number;
}

export async function naiveExport(session: EngineSession, cohortId: number, pageSize: number): Promise<NaiveResult> {
  const { apis, browser } = session;
  apis.mixpanel.limits.maxPageSize = pageSize;
  apis.mixpanel.resetCounters();
  apis.clevertap.resetStats();
  const fetch = browser.hub.fetch;
  const retry = { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 };
  const mixpanel = new MixpanelClient(
    { ...EMULATOR_CREDENTIALS.mixpanel, secret: EMULATOR_CREDENTIALS.mixpanel.secret },
    { fetch, retry, pageConcurrency: 1 },
  );
  const clevertap = new CleverTapClient(EMULATOR_CREDENTIALS.clevertap, { fetch, retry, concurrency: 1 });
  const t0 = Date.now();
  const members = new Map<string, Member>();
  for await (const page of mixpanel.engagePages({ cohortId, outputProperties: OUTPUT_PROPERTIES })) {
    for (const profile of page.profiles) {
      const outcome = classifyProfile(profile.distinctId, profile.properties);
      if ('member' in outcome && !members.has(outcome.member.identity)) members.set(outcome.member.identity, outcome.member);
    }
  }
  const all = [...members.values()];
  for (let start = 0; start < all.length; start += 1000) {
    const records = all.slice(start, start + 1000).map((member): ProfileRecord => ({ identity: member.identity, profileData: { ...member.profile } }));
    await clevertap.uploadProfiles(records);
  }
  await clevertap.replaceCustomListSegment({
    name: `Naive ${cohortId}`,
    email: 'admin@example.com',
    creator: 'naive baseline',
    identities: [...members.keys()].sort(),
  });
  const wallMs = Date.now() - t0;
  return {
    wallMs,
    engageCalls: apis.mixpanel.counters.requestsByPath['/api/query/engage'] ?? 0,
    uploadRequests: apis.clevertap.stats().requests['/1/upload'] ?? 0,
    exported: members.size,
  };
}
