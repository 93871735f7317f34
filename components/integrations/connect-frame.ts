/**
 * The seam between the Connect CleverTap page framed into Mixpanel (an extension page, where the
 * Passcode is typed) and the content script that frames it. The frame tells its parent only that it
 * is done and how; no field value ever crosses.
 */
export const CONNECT_FRAME_PAGE = '/connect-frame.html';

export const CONNECT_FRAME_TITLE = 'Connect CleverTap';

const MESSAGE_TYPE = 'cohort-sync:connect-frame';

export type ConnectFrameOutcome = 'connected' | 'cancelled';

export interface ConnectFrameMessage {
  type: typeof MESSAGE_TYPE;
  outcome: ConnectFrameOutcome;
}

export function connectFrameMessage(outcome: ConnectFrameOutcome): ConnectFrameMessage {
  return { type: MESSAGE_TYPE, outcome };
}

export function readConnectFrameMessage(data: unknown): ConnectFrameOutcome | null {
  if (typeof data !== 'object' || data === null) return null;
  const { type, outcome } = data as Partial<ConnectFrameMessage>;
  return type === MESSAGE_TYPE && (outcome === 'connected' || outcome === 'cancelled') ? outcome : null;
}
