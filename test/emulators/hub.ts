/**
 * One local server that answers for every production host the extension calls, the way
 * Chromium's --host-resolver-rules sends them here: requests are routed by their Host header.
 * It listens twice: HTTPS (self-signed) for the browser, plain HTTP for Node-side tests, whose
 * fetch is rewritten by `hubFetch` (the original host travels in `x-emulated-host`).
 */
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { generate } from 'selfsigned';

export interface EmulatorRequest {
  method: string;
  /** The production host the client asked for, e.g. `eu.mixpanel.com`. */
  host: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Emulator {
  /** Host patterns this emulator answers for; `*.example.com` matches any subdomain. */
  readonly hosts: readonly string[];
  handle(request: EmulatorRequest, response: ServerResponse): Promise<void>;
}

export interface Hub {
  httpsPort: number;
  httpPort: number;
  /** Chromium `--host-resolver-rules` value mapping every emulated host to the HTTPS listener. */
  resolverRules: string;
  /** A fetch for Node tests that sends production URLs to the HTTP listener. */
  fetch: typeof fetch;
  close(): Promise<void>;
}

export function hostMatches(pattern: string, host: string): boolean {
  return pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern;
}

export async function startHub(emulators: readonly Emulator[]): Promise<Hub> {
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const forwarded = req.headers['x-emulated-host'];
    const host = (typeof forwarded === 'string' ? forwarded : (req.headers.host ?? '')).replace(/:\d+$/, '');
    const emulator = emulators.find((candidate) => candidate.hosts.some((pattern) => hostMatches(pattern, host)));
    if (!emulator) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`No emulator for host ${host}`);
      return;
    }
    const request: EmulatorRequest = {
      method: req.method ?? 'GET',
      host,
      url: new URL(req.url ?? '/', `https://${host}`),
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    try {
      await emulator.handle(request, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`Emulator error: ${String(error)}`);
    }
  };
  // A client that goes away mid-request (a stopped worker) aborts the body read: drop the socket.
  const listener = (req: IncomingMessage, res: ServerResponse) => void handler(req, res).catch(() => res.destroy());

  const pems = await generate([{ name: 'commonName', value: 'cohort-sync-emulators' }], { keySize: 2048 });
  const servers = [createHttpsServer({ key: pems.private, cert: pems.cert }, listener), createHttpServer(listener)];
  const sockets = new Set<Socket>();
  for (const server of servers) {
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }
  const [httpsPort, httpPort] = await Promise.all(servers.map(listen));
  const hosts = emulators.flatMap((emulator) => emulator.hosts);
  const resolverRules = hosts.map((host) => `MAP ${host}:443 127.0.0.1:${httpsPort}`).join(', ');

  return {
    httpsPort: httpsPort!,
    httpPort: httpPort!,
    resolverRules,
    fetch: hubFetch(httpPort!),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export function hubFetch(httpPort: number): typeof fetch {
  return (input, init) => {
    const original = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set('x-emulated-host', original.hostname);
    const target = `http://127.0.0.1:${httpPort}${original.pathname}${original.search}`;
    return fetch(target, { ...init, headers });
  };
}
