/**
 * The message router under attack: senders that are not ours, and a fuzzer of message shapes.
 * Every refusal answers the same short error, runs nothing, and logs neither payload nor secret.
 */
import type { Runtime } from 'webextension-polyfill';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MessageSchema, SENDERS, type MessageType } from '../../../lib/messages';
import { createRouter, senderKind } from '../../../entrypoints/background/router';
import type { SyncService } from '../../../lib/sync/service';
import type { Environment } from '../../../lib/sync/environment';
import { prng } from '../../emulators/mixpanel';

const EXTENSION = 'chrome-extension://test-extension-id/popup.html';
const MIXPANEL_TAB: Runtime.MessageSender = { id: 'test-extension-id', url: 'https://mixpanel.com/project/1/view/2/app/cohorts', tab: { id: 7 } as never, frameId: 0 };
const EXTENSION_PAGE: Runtime.MessageSender = { id: 'test-extension-id', url: EXTENSION };
const MARK = 'FUZZ-MARK-71f3';

/** A service whose every method fails the test if called. */
const untouchable = new Proxy({}, { get: (_, name) => () => { throw new Error(`service.${String(name)} was called`); } }) as SyncService;
const env = { fetch: () => { throw new Error('network used'); } } as unknown as Environment;
let warn: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  fakeBrowser.reset();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => warn.mockRestore());

const route = createRouter(untouchable, env, 1);

describe('senders', () => {
  const refused: [string, Runtime.MessageSender][] = [
    ['another extension', { id: 'other-extension', url: 'chrome-extension://other-extension/page.html' }],
    ['another extension claiming our page', { id: 'other-extension', url: EXTENSION }],
    ['a Mixpanel page over http', { ...MIXPANEL_TAB, url: 'http://mixpanel.com/project/1' }],
    ['a look-alike host', { ...MIXPANEL_TAB, url: 'https://mixpanel.com.evil.example/project/1' }],
    ['a sub-domain we do not serve', { ...MIXPANEL_TAB, url: 'https://evil.mixpanel.com/' }],
    ['a frame inside a Mixpanel tab', { ...MIXPANEL_TAB, frameId: 3 }],
    ['a Mixpanel URL without a tab', { id: 'test-extension-id', url: 'https://mixpanel.com/' }],
    ['a web page', { id: 'test-extension-id', url: 'https://evil.example/', tab: { id: 1 } as never, frameId: 0 }],
    ['a data: URL', { id: 'test-extension-id', url: 'data:text/html,hi', tab: { id: 1 } as never }],
    ['no URL', { id: 'test-extension-id' }],
    ['a URL that does not parse', { id: 'test-extension-id', url: 'not a url', tab: { id: 1 } as never }],
  ];
  for (const [what, sender] of refused) {
    it(`refuses ${what}`, async () => {
      expect(senderKind(sender)).toBeUndefined();
      expect(await route({ type: 'ping' }, sender)).toEqual({ ok: false, error: 'This request is not allowed.' });
    });
  }

  it('accepts our pages and the top frame of a Mixpanel tab', () => {
    expect(senderKind(EXTENSION_PAGE)).toBe('extension-page');
    expect(senderKind(MIXPANEL_TAB)).toBe('mixpanel-tab');
    expect(senderKind({ ...MIXPANEL_TAB, url: 'https://eu.mixpanel.com/project/1' })).toBe('mixpanel-tab');
  });

  it('takes the Connect page framed into a Mixpanel tab for an extension page, not for the tab', () => {
    // What Chrome reports for it: our own URL (even when loaded from its per-session one), a tab, a sub-frame.
    const framed: Runtime.MessageSender = {
      id: 'test-extension-id',
      url: 'chrome-extension://test-extension-id/connect-frame.html',
      tab: MIXPANEL_TAB.tab,
      frameId: 5,
    };
    expect(senderKind(framed)).toBe('extension-page');
  });

  it('refuses credentials from a Mixpanel tab, and logs none of them', async () => {
    const message = { type: 'clevertap.connect', accountId: 'A', passcode: MARK, region: 'eu1' };
    expect(MessageSchema.safeParse(message).success).toBe(true);
    expect(await route(message, MIXPANEL_TAB)).toEqual({ ok: false, error: 'This request is not allowed.' });
    expect(JSON.stringify(warn.mock.calls)).not.toContain(MARK);
    const carriesSecrets = (Object.keys(SENDERS) as MessageType[]).filter((type) => type.endsWith('.connect'));
    for (const type of carriesSecrets) expect(SENDERS[type]).toEqual(['extension-page']);
  });

  it('keeps history, settings, review and every credential away from Mixpanel tabs', async () => {
    const pageOnly = (Object.keys(SENDERS) as MessageType[]).filter((type) => !SENDERS[type].includes('mixpanel-tab'));
    expect(pageOnly.sort()).toEqual([
      'clevertap.connect',
      'history.csv',
      'history.get',
      'mixpanel.connect',
      'mixpanel.disconnect',
      'settings.save',
      'sync.review',
    ]);
    for (const message of [
      { type: 'history.csv', runId: 'x' },
      { type: 'history.get', syncId: '1:2' },
      { type: 'sync.review', syncId: '1:2', decision: 'confirm' },
      { type: 'mixpanel.disconnect' },
    ]) {
      expect(MessageSchema.safeParse(message).success).toBe(true);
      expect(await route(message, MIXPANEL_TAB)).toEqual({ ok: false, error: 'This request is not allowed.' });
    }
  });
});

/** Random JSON-ish values, biased towards near-misses of real messages. */
function fuzzValues(count: number, seed: number): unknown[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const types = [...Object.keys(SENDERS), 'sync.delete', 'eval', '__proto__', '', 'SYNC.START'];
  const scalars = () =>
    pick<unknown>([MARK, '', -1, 0, 1.5, 2 ** 60, NaN, null, true, undefined, '1:2', '<script>alert(1)</script>', '=cmd|"/c calc"!A1', '\u202e' + MARK, 'x'.repeat(20_001)]);
  const value = (depth: number): unknown => {
    const roll = random();
    if (depth > 3 || roll < 0.4) return scalars();
    if (roll < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    const object: Record<string, unknown> = {};
    for (let index = 0; index < Math.floor(random() * 5); index++) object[pick(['type', 'syncId', 'cohortId', 'cohortName', 'syncType', 'passcode', 'settings', '__proto__', 'constructor', MARK])] = value(depth + 1);
    return object;
  };
  const valid: Record<string, unknown>[] = [
    { type: 'sync.start', cohortId: 5, cohortName: 'C', syncType: 'dynamic' },
    { type: 'sync.stop', syncId: '1:2' },
    { type: 'clevertap.connect', accountId: 'A', passcode: MARK, region: 'eu1' },
    { type: 'settings.save', settings: {} },
  ];
  return Array.from({ length: count }, (_, index) => {
    if (index % 3 === 0) return value(0);
    const base = { ...pick(valid) };
    const mutation = Math.floor(random() * 5);
    if (mutation === 0) base[MARK] = value(1); // an extra field
    else if (mutation === 1) base['type'] = pick(types);
    else if (mutation === 2) base[pick(Object.keys(base).filter((key) => key !== 'type'))] = scalars();
    else if (mutation === 3) base['cohortName'] = MARK.repeat(100_000); // ~1.4 MB
    else base['syncId'] = `${MARK}:1`;
    return base;
  });
}

/** Every own key of Object.prototype and Array.prototype (pollution adds keys; it never swaps the prototype). */
function prototypeKeys(): string[] {
  return [Object.prototype, Array.prototype].flatMap((proto, index) => Reflect.ownKeys(proto).map((key) => `${index}:${String(key)}`));
}

/** Keys added since `before`, and any key the fuzzer writes that a plain object now inherits. */
function pollution(before: readonly string[]): string[] {
  const added = prototypeKeys()
    .filter((key) => !before.includes(key))
    .map((key) => key.slice(2));
  const inherited = [MARK, 'type', 'syncId', 'cohortId', 'cohortName', 'syncType', 'passcode', 'settings'].filter(
    (key) => (({}) as Record<string, unknown>)[key] !== undefined,
  );
  return [...new Set([...added, ...inherited])];
}

describe('message fuzzing', () => {
  it('refuses every malformed message from every sender, runs nothing and logs no payload', async () => {
    const inputs = fuzzValues(3000, 8).filter((input) => !MessageSchema.safeParse(input).success);
    expect(inputs.length).toBeGreaterThan(2500);
    const before = prototypeKeys();
    for (const input of inputs) {
      for (const sender of [EXTENSION_PAGE, MIXPANEL_TAB]) {
        expect(await route(input, sender)).toEqual({ ok: false, error: 'This request is not allowed.' });
      }
    }
    expect(warn).toHaveBeenCalledTimes(inputs.length * 2);
    expect(JSON.stringify(warn.mock.calls)).not.toContain(MARK);
    expect(pollution(before)).toEqual([]);
  });

  it('the pollution check sees a key the fuzzer could have added to Object.prototype', () => {
    const before = prototypeKeys();
    (Object.prototype as Record<string, unknown>)[MARK] = 1;
    try {
      expect(pollution(before)).toEqual([MARK]);
    } finally {
      delete (Object.prototype as Record<string, unknown>)[MARK];
    }
    expect(pollution(before)).toEqual([]);
  });

  it('strict schemas: a real message with one extra field is refused', () => {
    for (const message of [
      { type: 'ping', extra: 1 },
      { type: 'sync.now', syncId: '1:2', force: true },
      { type: 'mixpanel.connect', username: 'u', secret: 's', projectId: 1, region: 'us', debug: true },
    ]) {
      expect(MessageSchema.safeParse(message).success).toBe(false);
    }
  });
});
