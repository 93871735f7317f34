/**
 * The message contract is enforced by the compiler: `tsc --noEmit` (npm run typecheck) checks this
 * file, and each `@ts-expect-error` fails the typecheck if the line below it ever compiles, that
 * is if a handler could answer the wrong reply or a caller could expect the wrong one.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { handlers, type Handler, type Handlers } from '../../../entrypoints/background/router';
import type { Replies, StateView, SyncView } from '../../../lib/messages';
import type { sendToBackground } from '../../../lib/send';

type Send = typeof sendToBackground;
declare const _send: Send;

describe('typed message map', () => {
  it('has one handler per message type', () => {
    expect(Object.keys(handlers).sort()).toEqual(
      [
        'ping', 'state.get', 'cohorts.list', 'cohort.preview', 'sync.start', 'sync.now', 'sync.pause', 'sync.resume',
        'sync.stop', 'sync.review', 'history.get', 'history.csv', 'clevertap.connect', 'clevertap.disconnect',
        'mixpanel.connect', 'mixpanel.disconnect', 'settings.save', 'options.open',
      ].sort(),
    );
  });

  it('refuses a handler whose reply is not its message’s', () => {
    // @ts-expect-error ping answers { startedAt }, not null
    const wrongPing: Handler<'ping'> = async () => null;
    // @ts-expect-error sync.stop answers null, not a sync
    const wrongStop: Handler<'sync.stop'> = async () => ({}) as SyncView;
    // @ts-expect-error state.get answers the state view, not a list of syncs
    const wrongState: Handler<'state.get'> = async () => [] as SyncView[];
    // @ts-expect-error a handler gets its own message: sync.start carries no syncId
    const wrongField: Handler<'sync.start'> = async (message) => ({ id: message.syncId }) as unknown as SyncView;
    // @ts-expect-error the table needs a handler for every type
    const missing: Handlers = { ping: handlers.ping };
    const right: Handler<'ping'> = async () => ({ startedAt: 1 });
    expect([wrongPing, wrongStop, wrongState, wrongField, missing, right]).toHaveLength(6);
  });

  it('infers each reply from the message type on the sending side', () => {
    expectTypeOf<Awaited<ReturnType<typeof _send<'state.get'>>>>().toEqualTypeOf<StateView>();
    expectTypeOf<Awaited<ReturnType<typeof _send<'sync.start'>>>>().toEqualTypeOf<SyncView>();
    expectTypeOf<Awaited<ReturnType<typeof _send<'sync.stop'>>>>().toEqualTypeOf<Replies['sync.stop']>();
    // @ts-expect-error a sync.start reply is a sync view, not null
    expectTypeOf<Awaited<ReturnType<typeof _send<'sync.start'>>>>().toEqualTypeOf<null>();
    // @ts-expect-error the message must match its type: sync.now needs a syncId
    const call = (send: Send) => send({ type: 'sync.now' });
    expect(typeof call).toBe('function');
  });
});
