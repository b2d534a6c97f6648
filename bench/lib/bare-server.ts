import { createServer } from 'node:http';

// The baseline: a bare node:http server answering every request with a fixed body of the given size and type,
// the most any Node server can do for the same bytes on this machine.
const port = Number(process.argv[2]);
const size = Number(process.argv[3]);
const type = process.argv[4] ?? 'application/json';
const body = Buffer.alloc(size, 'x');
createServer((_req, res) => {
  res.writeHead(200, { 'content-type': type, 'content-length': body.length });
  res.end(body);
}).listen(port, '127.0.0.1');
