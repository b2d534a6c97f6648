import { Duplex, PassThrough } from 'node:stream';
import { startTool } from './tool.js';

/**
 * zstd as a stream stage. The `zstd` binary at level 1 with all cores keeps compression well below the speed of
 * a database dump (gzip's default level was five times slower than mariadb-dump on 100 MB), which is what lets a
 * backup take little longer than the dump alone.
 */
export function zstdCompress(): Duplex {
  return toolStage(['-1', '-T0', '-q', '-c']);
}

export function zstdDecompress(): Duplex {
  return toolStage(['-d', '-q', '-c']);
}

function toolStage(args: string[]): Duplex {
  const tool = startTool('zstd', args);
  // The output ends only once zstd has exited 0, so a failure (corrupt input) can never pass for a short success.
  const out = new PassThrough();
  tool.stdout.pipe(out, { end: false });
  const stage = Duplex.from({ writable: tool.stdin, readable: out });
  tool.stdout.on('end', () => {
    tool.done.then(
      () => out.end(),
      (err: Error) => stage.destroy(err),
    );
  });
  tool.done.catch((err: Error) => stage.destroy(err));
  stage.on('close', () => tool.kill());
  return stage;
}
