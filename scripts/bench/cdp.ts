/**
 * A small CDP client over the browser's DevTools WebSocket, for targets Playwright cannot open a
 * session on (the extension's service worker): heap sampling and a CPU profile during a run.
 * Node 20 has WebSocket behind --experimental-websocket; main.ts re-executes itself with it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
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
  /** Where the worker's time went; absent when the worker was replaced during the run. */
  cpu?: CpuSummary;
  private profiledTarget?: string;

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
    if (this.target && !this.target.closed && this.profiledTarget === this.targetId) {
      try {
        const { profile } = await this.target.send<{ profile: CpuProfile }>('Profiler.stop');
        // For DevTools' Performance panel: BENCH_CPU_PROFILE_DIR=/tmp/profiles npm run bench …
        const dir = process.env.BENCH_CPU_PROFILE_DIR;
        if (dir) writeFileSync(`${dir}/worker-${Date.now()}.cpuprofile`, JSON.stringify(profile));
        this.cpu = summarizeProfile(profile);
      } catch {
        this.cpu = undefined;
      }
    }
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
    // Profiled from the first attach only: a replaced worker's profile would miss what came before.
    if (this.profiledTarget === undefined) {
      this.profiledTarget = worker.id;
      await this.target.send('Profiler.enable');
      await this.target.send('Profiler.setSamplingInterval', { interval: 1000 });
      await this.target.send('Profiler.start');
    }
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CpuSummary {
  /** Profiled span and the part of it the worker's thread was not idle, in ms. */
  totalMs: number;
  busyMs: number;
  gcMs: number;
  /** Busy time outside JavaScript functions: parsing, compiling, structured clones, native work. */
  programMs: number;
  /** The functions with the most self time. */
  top: { name: string; selfMs: number }[];
}

/** Self time per function from a sampled CPU profile (each sample gets the time until the next one). */
export function summarizeProfile(profile: CpuProfile): CpuSummary {
  const frameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, number>();
  let idle = 0;
  let gc = 0;
  let program = 0;
  for (let index = 0; index < profile.samples.length; index++) {
    const us = profile.timeDeltas[index + 1] ?? 0;
    const frame = frameOf.get(profile.samples[index]!);
    const name = frame?.functionName ?? '';
    if (name === '(idle)') idle += us;
    else if (name === '(garbage collector)') gc += us;
    else if (name === '(program)' || name === '(root)') program += us;
    else {
      const file = frame?.url.split('/').pop() || 'native';
      const key = `${name || '(anonymous)'} (${file}:${(frame?.lineNumber ?? 0) + 1})`;
      self.set(key, (self.get(key) ?? 0) + us);
    }
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([name, us]) => ({ name, selfMs: us / 1000 }));
  return { totalMs, busyMs: totalMs - idle / 1000, gcMs: gc / 1000, programMs: program / 1000, top };
}
