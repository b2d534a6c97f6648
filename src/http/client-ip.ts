import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/**
 * The client address as fastify's request.ip works it out for `trustProxy` (the same library, the same reading
 * of a comma-separated list), for responses made before fastify sees the request. Without a trusted proxy it is
 * the socket's address.
 */
export function clientIpResolver(trustProxy: string | undefined): (req: IncomingMessage) => string | undefined {
  if (!trustProxy) return (req) => req.socket.remoteAddress;
  const trust = proxyAddr.compile(trustProxy.split(',').map((it) => it.trim()));
  return (req) => {
    const addrs = proxyAddr.all(req, trust);
    return addrs[addrs.length - 1];
  };
}
