import { Agent, request } from 'node:http';

/** One request as the load generator saw it. `version` is what the answering build said it is. */
export interface Sample {
  start: number;
  end: number;
  path: string;
  status: number | undefined;
  version: string | undefined;
  error: string | undefined;
  /** The first try was reset before any response byte and the request was sent again (see startLoad). */
  retried: boolean;
}

export interface Load {
  /** Stops issuing requests, waits for those in flight, and returns every sample. */
  stop(): Promise<Sample[]>;
}

/**
 * A keep-alive load generator: `concurrency` loops, each sending its next request as soon as the previous one
 * answered, over pooled connections (as a browser or an API client would). Every answer and every connection
 * error is recorded. One retry, and only one kind: a GET whose connection was reset before any response byte. A
 * server may close an idle keep-alive connection at any time, and at every reload nginx's old workers close the
 * connections they hold, including one they accepted an instant before; a request sent at that instant meets the
 * close. RFC 9112 section 9.3.1 lets clients resend idempotent requests then (on a new connection), browsers do,
 * and Node documents the pattern for `req.reusedSocket`. Such retries are counted and reported; any other error,
 * or a second reset, is a failure.
 */
export function startLoad(options: { baseUrl: string; concurrency: number; paths: string[] }): Load {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const samples: Sample[] = [];
  let running = true;
  const once = (path: string, retried = false, start = performance.now()): Promise<Sample> =>
    new Promise((resolve) => {
      let responded = false;
      const done = (status: number | undefined, body: string, error: string | undefined) => {
        let version: string | undefined;
        try {
          version = (JSON.parse(body) as { version?: string }).version;
        } catch {
          version = undefined;
        }
        resolve({ start, end: performance.now(), path, status, version, error, retried });
      };
      // The resend goes out on a new connection: the pooled ones may be closing at the same moment.
      const req = request(`${options.baseUrl}${path}`, { agent: retried ? false : agent, timeout: 10_000 }, (res) => {
        responded = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => done(res.statusCode, body, undefined));
        res.on('error', (err) => done(res.statusCode, body, err.message));
      });
      req.on('timeout', () => req.destroy(new Error('timed out after 10 s')));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (!retried && !responded && err.code === 'ECONNRESET') {
          // A short pause steps past the reload instant before the resend.
          setTimeout(() => resolve(once(path, true, start)), 50);
          return;
        }
        done(undefined, '', err.code ?? err.message);
      });
      req.end();
    });
  const loops = Array.from({ length: options.concurrency }, async (_, i) => {
    let n = i;
    while (running) {
      samples.push(await once(options.paths[n++ % options.paths.length]!));
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return samples;
    },
  };
}
