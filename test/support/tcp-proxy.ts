import { connect, createServer, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a real server that a test can turn into a black hole: connections are
 * accepted and data is swallowed, never answered — what a hung database or a dead network path looks like.
 */
export interface TcpProxy {
  port: number;
  hang(): void;
  resume(): void;
  close(): Promise<void>;
}

/** `listenPort` 0 picks a free port; a test that closed a proxy may open a new one on the same port. */
export async function startTcpProxy(targetHost: string, targetPort: number, listenPort = 0): Promise<TcpProxy> {
  let hanging = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    if (hanging) return; // accept, read nothing, answer nothing
    const upstream = connect(targetPort, targetHost);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('data', (d) => {
      if (!hanging) upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (!hanging) client.write(d);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((r) => server.listen(listenPort, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    hang: () => (hanging = true),
    resume: () => (hanging = false),
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
