/**
 * Faults on demand: a test queues what the next matching request(s) should suffer, and the
 * emulator applies it before doing its normal work.
 */
import type { ServerResponse } from 'node:http';
import type { EmulatorRequest } from './hub';

export type Fault =
  | { kind: 'status'; status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  /** 200 with a body that is not JSON. */
  | { kind: 'malformed' }
  /** Never answers (the client's timeout must fire). */
  | { kind: 'hang' }
  /** Drops the connection without an answer. */
  | { kind: 'reset' }
  /** Answers normally after an extra delay. */
  | { kind: 'delay'; ms: number }
  /** Runs `run` (e.g. expire every session), then answers normally. */
  | { kind: 'hook'; run: () => void };

interface QueuedFault {
  path: string | RegExp;
  fault: Fault;
  remaining: number;
  /** Skip this many matching requests before the fault fires: "fail the 3rd page". */
  skip: number;
}

export class FaultPlan {
  private queue: QueuedFault[] = [];

  /** The next `times` requests whose path matches get `fault`, after `skip` that pass untouched. */
  add(path: string | RegExp, fault: Fault, options: { times?: number; skip?: number } = {}): void {
    this.queue.push({ path, fault, remaining: options.times ?? 1, skip: options.skip ?? 0 });
  }

  clear(): void {
    this.queue = [];
  }

  take(request: EmulatorRequest): Fault | undefined {
    const path = request.url.pathname;
    const entry = this.queue.find((queued) =>
      typeof queued.path === 'string' ? queued.path === path : queued.path.test(path),
    );
    if (!entry) return undefined;
    if (entry.skip > 0) {
      entry.skip--;
      return undefined;
    }
    entry.remaining--;
    if (entry.remaining <= 0) this.queue.splice(this.queue.indexOf(entry), 1);
    return entry.fault;
  }
}

/**
 * Applies a fault. Returns true when the fault produced the whole answer, false when the
 * emulator should go on and answer normally (the `delay` fault).
 */
export async function applyFault(fault: Fault, response: ServerResponse): Promise<boolean> {
  switch (fault.kind) {
    case 'delay':
      await delay(fault.ms);
      return false;
    case 'hook':
      fault.run();
      return false;
    case 'status':
      response
        .writeHead(fault.status, { 'content-type': fault.contentType ?? 'application/json', ...fault.headers })
        .end(fault.body ?? '');
      return true;
    case 'malformed':
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status": "ok", "results": [');
      return true;
    case 'hang':
      // Keep the socket open until the client gives up; the hub destroys it on close.
      return true;
    case 'reset':
      response.socket?.destroy();
      return true;
  }
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `handle` at once and sends what it wrote when `latencyMs` have passed since: the emulator's
 * own work (parsing a file of 800,000 rows, matching them) is part of the latency, as a server's is.
 * The handlers answer with `writeHead(…).end(…)` only, which is all the recorder keeps.
 */
export async function answerWithin(latencyMs: number, response: ServerResponse, handle: (response: ServerResponse) => void): Promise<void> {
  const received = Date.now();
  let head: Parameters<ServerResponse['writeHead']> | undefined;
  let body: unknown;
  const recorder = {
    writeHead(...args: Parameters<ServerResponse['writeHead']>) {
      head = args;
      return recorder;
    },
    end(chunk?: unknown) {
      body = chunk;
      return recorder;
    },
  };
  handle(recorder as unknown as ServerResponse);
  const rest = latencyMs - (Date.now() - received);
  if (rest > 0) await delay(rest);
  if (head) response.writeHead(...head);
  response.end(body);
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
