/** Errors the engine raises itself, with messages written for the user. */

/** Something the user has to do before the sync can go on; the message says what. */
export class SyncError extends Error {
  override readonly name = 'SyncError';
}

export class NotConnectedError extends Error {
  override readonly name = 'NotConnectedError';
  constructor(readonly service: 'clevertap' | 'mixpanel') {
    super(service === 'clevertap' ? 'CleverTap disconnected' : 'Mixpanel disconnected');
  }
}
