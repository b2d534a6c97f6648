import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './spawn.js';

/**
 * A MariaDB server of the test's own, with binary logging on (the shared one has it off, and must not be
 * restarted): its own datadir, socket and loopback port, stopped and removed afterwards.
 */
export interface PrivateMariadb {
  port: number;
  socket: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export async function startPrivateMariadb(): Promise<PrivateMariadb> {
  const dir = mkdtempSync(join(tmpdir(), 'inkstone-mariadb-'));
  const datadir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  chownSync(dir, uidOf('mysql'), 0); // the server runs as mysql and must reach its datadir and socket
  execFileSync(
    'mariadb-install-db',
    ['--user=mysql', `--datadir=${datadir}`, '--skip-test-db', '--auth-root-authentication-method=socket'],
    { stdio: 'ignore' },
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    'mariadbd',
    [
      '--no-defaults',
      '--user=mysql',
      `--datadir=${datadir}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--log-bin=${join(datadir, 'binlog')}`,
      '--server-id=1',
      '--binlog-format=ROW',
      `--pid-file=${join(dir, 'mariadbd.pid')}`,
      '--innodb-buffer-pool-size=64M',
      '--skip-name-resolve',
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      execFileSync(
        'mariadb',
        [
          `--socket=${socket}`,
          '-uroot',
          '-e',
          "create user if not exists 'root'@'127.0.0.1'; grant all on *.* to 'root'@'127.0.0.1' with grant option",
        ],
        { stdio: 'ignore' },
      );
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('the private mariadbd did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    port,
    socket,
    urlFor: (database) => `mysql://root@127.0.0.1:${port}/${database}`,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}
