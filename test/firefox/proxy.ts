/**
 * Sends Firefox's HTTPS traffic for the production hosts to the emulators' hub, as Chromium's
 * --host-resolver-rules does: Firefox is told to use this HTTP proxy, asks it to CONNECT
 * `mixpanel.com:443` (or a CleverTap or S3 host), and gets a tunnel to the hub's HTTPS listener,
 * which routes by the Host header. The hub keeps its own port; nothing needs port 443. Any other
 * host (Firefox's own update and telemetry services) is refused, so the test never leaves the machine.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { hostMatches } from '../emulators/hub';

export interface TunnelProxy {
  port: number;
  close(): Promise<void>;
}

export async function startTunnelProxy(hubHttpsPort: number, hosts: readonly string[]): Promise<TunnelProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((_request, response) => {
    response.writeHead(405, { 'content-type': 'text/plain' }).end('Only CONNECT to emulated HTTPS hosts');
  });
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  server.on('connection', track);
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const [host = '', port = ''] = (request.url ?? '').split(':');
    if (port !== '443' || !hosts.some((pattern) => hostMatches(pattern, host))) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(hubHttpsPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
