/**
 * One local server that answers for every production host the extension calls, the way
 * Chromium's --host-resolver-rules sends them here: requests are routed by their Host header.
 * It listens twice: HTTPS (self-signed) for the browser, plain HTTP for Node-side tests, whose
 * fetch is rewritten by `hubFetch` (the original host travels in `x-emulated-host`).
 * The HTTPS listener speaks HTTP/2 (HTTP/1.1 still served to clients that ask for it), as the real
 * APIs do: over HTTP/1.1 Chromium opens at most 6 connections to a host, so 15 concurrent uploads
 * would never be in flight.
 */
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import {
  createSecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from 'node:http2';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
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

/** HTTP/1.1 and HTTP/2 requests alike (the compatibility API). */
type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse | Http2ServerResponse;

const STREAM_WINDOW = 16 * 1024 * 1024;
const CONNECTION_WINDOW = 2 ** 31 - 1;

export async function startHub(emulators: readonly Emulator[]): Promise<Hub> {
  const handler = async (req: AnyRequest, res: AnyResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const forwarded = req.headers['x-emulated-host'];
    // HTTP/2 names the host in `:authority`; HTTP/1.1 in `Host`.
    const authority = req.headers[':authority'] ?? req.headers.host ?? '';
    const host = (typeof forwarded === 'string' ? forwarded : String(authority)).replace(/:\d+$/, '');
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
      // The HTTP/2 compatibility response carries everything the emulators use (writeHead, setHeader,
      // write, end, headersSent, 'finish', socket.destroy — which resets only this stream).
      await emulator.handle(request, res as ServerResponse);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`Emulator error: ${String(error)}`);
    }
  };
  // A client that goes away mid-request (a stopped worker) aborts the body read: drop the socket.
  const listener = (req: AnyRequest, res: AnyResponse) =>
    void handler(req, res).catch(() => ('stream' in res ? res.stream.destroy() : res.destroy()));

  const pems = await generate([{ name: 'commonName', value: 'cohort-sync-emulators' }], { keySize: 2048 });
  // Large flow-control windows. A production front end grants window as fast as bytes arrive (nginx
  // opens the connection's to 2^31 − 1 at once); this process also builds Mixpanel pages and ingests
  // uploads, and with Node's 64 KB defaults each ~120 KB upload waited on it for more window.
  const secure = createSecureServer(
    { key: pems.private, cert: pems.cert, allowHTTP1: true, settings: { initialWindowSize: STREAM_WINDOW } },
    listener,
  );
  const servers: NetServer[] = [secure, createHttpServer(listener)];
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  for (const server of servers) {
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }
  secure.on('session', (session: Http2Session) => {
    session.setLocalWindowSize(CONNECTION_WINDOW);
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  const [httpsPort, httpPort] = await Promise.all(servers.map(listen));
  const hosts = emulators.flatMap((emulator) => emulator.hosts);
  const resolverRules = hosts.map((host) => `MAP ${host}:443 127.0.0.1:${httpsPort}`).join(', ');

  return {
    httpsPort: httpsPort!,
    httpPort: httpPort!,
    resolverRules,
    fetch: hubFetch(httpPort!),
    close: async () => {
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

function listen(server: NetServer): Promise<number> {
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
