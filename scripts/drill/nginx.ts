import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** nginx from Debian, installed when missing (CI starts from a fresh machine); fails clearly when it cannot be. */
export function ensureNginx(log: (line: string) => void): void {
  if (spawnSync('nginx', ['-v']).status === 0) return;
  log('nginx is missing: installing it from Debian (apt-get install -y nginx-light, else nginx)');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (args: string[]) =>
    spawnSync(sudo[0] ?? args[0]!, sudo.length ? args : args.slice(1), { stdio: 'inherit' });
  run(['apt-get', 'update', '-qq']);
  // nginx-light is Debian 12's small build; newer Debian and Ubuntu releases only ship `nginx`.
  if (run(['apt-get', 'install', '-y', '-qq', 'nginx-light']).status !== 0)
    run(['apt-get', 'install', '-y', '-qq', 'nginx']);
  if (spawnSync('nginx', ['-v']).status !== 0) throw new Error('nginx is not installed and could not be installed');
}

export interface DrillNginx {
  prefix: string;
  conf: string;
  upstreamFile: string;
  stop(): void;
}

/**
 * A private nginx on a loopback port, configured like production: the same gzip and proxy snippets from
 * docker/nginx/, and an upstream file that the deploy scripts rewrite. Starts on `initialUpstream`.
 */
export function startNginx(root: string, drillDir: string, proxyPort: number, initialUpstream: string): DrillNginx {
  const prefix = join(drillDir, 'nginx');
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  const upstreamFile = join(prefix, 'upstream.conf');
  writeFileSync(upstreamFile, `upstream inkstone_app {\n    server ${initialUpstream};\n    keepalive 32;\n}\n`);
  const conf = join(prefix, 'nginx.conf');
  const snippets = join(root, 'docker/nginx/snippets');
  writeFileSync(
    conf,
    `worker_processes 2;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path ${prefix}/client_body;
    proxy_temp_path ${prefix}/proxy;
    fastcgi_temp_path ${prefix}/fastcgi;
    uwsgi_temp_path ${prefix}/uwsgi;
    scgi_temp_path ${prefix}/scgi;
    keepalive_timeout 65s;
    include ${snippets}/gzip.conf;
    include ${upstreamFile};
    server {
        listen 127.0.0.1:${proxyPort};
        include ${snippets}/security-headers.conf;
        include ${snippets}/inkstone-proxy.conf;
    }
}
`,
  );
  // -e: the error log before the config is read; the default (/var/log/nginx) is not writable without root.
  const args = ['-p', prefix, '-c', conf, '-e', join(prefix, 'logs/error.log')];
  execFileSync('nginx', [...args, '-t', '-q'], { stdio: 'inherit' });
  execFileSync('nginx', args, { stdio: 'inherit' });
  return {
    prefix,
    conf,
    upstreamFile,
    stop() {
      try {
        const pid = Number(readFileSync(join(prefix, 'nginx.pid'), 'utf8').trim());
        process.kill(pid, 'SIGQUIT');
      } catch {
        // not running
      }
    },
  };
}
