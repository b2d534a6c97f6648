import { createServer, type Server } from 'node:http';

/** A local webhook receiver (stands in for Slack or any alert endpoint): records every POST body by path. */
export interface HttpSink {
  url: string;
  received: { path: string; body: unknown }[];
  close(): Promise<void>;
}

export async function startHttpSink(): Promise<HttpSink> {
  const received: { path: string; body: unknown }[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      let body: unknown = data;
      try {
        body = JSON.parse(data);
      } catch {
        // keep the raw text
      }
      received.push({ path: req.url ?? '/', body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
