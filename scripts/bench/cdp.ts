/**
 * A small CDP client over the browser's DevTools WebSocket, for targets Playwright cannot open a
 * session on (the extension's service worker): heap sampling during a run.
 * Node 20 has WebSocket behind --experimental-websocket; main.ts re-executes itself with it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface MinimalWebSocket {
  readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}
type WebSocketCtor = new (url: string) => MinimalWebSocket;

export function hasWebSocket(): boolean {
  return typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function';
}

/** The port Chromium chose for --remote-debugging-port=0, from the profile directory. */
export function devtoolsPort(userDataDir: string): number {
  const [port] = readFileSync(join(userDataDir, 'DevToolsActivePort'), 'utf8').split('\n');
  return Number(port);
}

interface TargetInfo {
  id: string;
  type: string;
  url: string;
  webSocketDebuggerUrl?: string;
}

export async function listTargets(port: number): Promise<TargetInfo[]> {
  const response = await fetch(`http://127.0.0.1:${port}/json/list`);
  return (await response.json()) as TargetInfo[];
}

export class CdpTarget {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  closed = false;

  private constructor(private readonly socket: MinimalWebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
      if (message.id === undefined) return;
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error.message));
      else waiter?.resolve(message.result);
    });
    socket.addEventListener('close', () => {
      this.closed = true;
      for (const waiter of this.pending.values()) waiter.reject(new Error('CDP target closed'));
      this.pending.clear();
    });
  }

  static async connect(url: string): Promise<CdpTarget> {
    const Ctor = (globalThis as unknown as { WebSocket: WebSocketCtor }).WebSocket;
    const socket = new Ctor(url);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve());
      socket.addEventListener('error', () => reject(new Error(`Could not open ${url}`)));
    });
    return new CdpTarget(socket);
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('CDP target closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    if (!this.closed) this.socket.close();
    this.closed = true;
  }
}

/**
 * Samples the JS heap of the extension's service worker every `intervalMs`, re-attaching when the
 * worker is replaced (a stopped worker comes back as a new target). Peak = largest usedSize seen.
 */
export class HeapSampler {
  private timer?: ReturnType<typeof setInterval>;
  private target?: CdpTarget;
  private targetId?: string;
  private busy = false;
  peakUsed = 0;
  samples = 0;
  readonly series: { t: number; used: number }[] = [];

  constructor(
    private readonly port: number,
    private readonly extensionId: string,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    const startedAt = Date.now();
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      void this.sample(startedAt).finally(() => (this.busy = false));
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.busy) await new Promise((resolve) => setTimeout(resolve, 20));
    this.target?.close();
    this.target = undefined;
  }

  private async sample(startedAt: number): Promise<void> {
    try {
      if (!this.target || this.target.closed) await this.attach();
      if (!this.target) return;
      const { usedSize } = await this.target.send<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage');
      this.samples++;
      this.peakUsed = Math.max(this.peakUsed, usedSize);
      this.series.push({ t: Date.now() - startedAt, used: usedSize });
    } catch {
      this.target?.close();
      this.target = undefined;
    }
  }

  private async attach(): Promise<void> {
    const worker = (await listTargets(this.port)).find(
      (target) => target.type === 'service_worker' && target.url.startsWith(`chrome-extension://${this.extensionId}/`),
    );
    if (!worker?.webSocketDebuggerUrl) return;
    this.target = await CdpTarget.connect(worker.webSocketDebuggerUrl);
    this.targetId = worker.id;
  }
}
