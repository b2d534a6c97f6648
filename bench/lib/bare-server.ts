import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

// The baseline: a bare node:http server answering every request with one fixed body, the most any Node server can
// do for the same bytes on this machine.
//
//   bare-server.ts <port> <size> [type]     a body of <size> bytes of 'x'
//   bare-server.ts <port> @<file> [type]    the bytes of <file>: the very body the measured server answers
//
// The site bench uses the second form, so that the two servers it compares send the same bytes, not only as many.
// (They once mattered to the load client, which decoded every body as UTF-8: see load-client.ts.)
const port = Number(process.argv[2]);
const source = process.argv[3] ?? '';
const type = process.argv[4] ?? 'application/json';
const body = source.startsWith('@') ? readFileSync(source.slice(1)) : Buffer.alloc(Number(source), 'x');
createServer((_req, res) => {
  res.writeHead(200, { 'content-type': type, 'content-length': body.length });
  res.end(body);
}).listen(port, '127.0.0.1');
