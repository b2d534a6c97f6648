import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Destination, PartSink } from './destination.js';

const STAGING = '.partial-';

/**
 * Backup sets as directories under one folder. A set is staged in `.partial-<id>/` (with the writer's pid) and
 * renamed to `<id>/` when verified, so a crash never leaves something that looks like a backup.
 */
export function createLocalDestination(dir: string): Destination {
  const staged = (id: string) => join(dir, `${STAGING}${id}`);
  const final = (id: string) => join(dir, id);
  const ensureStaging = async (id: string) => {
    await mkdir(staged(id), { recursive: true });
    await writeFile(join(staged(id), '.owner'), String(process.pid));
  };
  const ready = new Map<string, Promise<void>>();

  return {
    name: 'local',

    async cleanLeftovers() {
      await mkdir(dir, { recursive: true });
      const removed: string[] = [];
      for (const entry of await readdir(dir)) {
        if (!entry.startsWith(STAGING)) continue;
        const owner = Number(await readFile(join(dir, entry, '.owner'), 'utf8').catch(() => '0'));
        // A live writer (another process, or another run in this one) is still at it; a failed run removes its own.
        if (owner && isAlive(owner)) continue;
        await rm(join(dir, entry), { recursive: true, force: true });
        removed.push(entry.slice(STAGING.length));
      }
      return removed;
    },

    writePart(setId, file): PartSink {
      if (!ready.has(setId)) ready.set(setId, ensureStaging(setId));
      const stream = new PassThrough();
      const done = ready.get(setId)!.then(async () => {
        const out = createWriteStream(join(staged(setId), file));
        stream.pipe(out);
        await finished(out);
      });
      return { stream, done };
    },

    readPart(setId, file, isStaged = false): Promise<Readable> {
      const path = join(isStaged ? staged(setId) : final(setId), file);
      return new Promise((resolve, reject) => {
        const s = createReadStream(path);
        s.once('open', () => resolve(s));
        s.once('error', reject);
      });
    },

    async commit(setId, manifest) {
      await writeFile(join(staged(setId), 'manifest.json'), manifest);
      await rm(join(staged(setId), '.owner'), { force: true });
      await rename(staged(setId), final(setId));
      ready.delete(setId);
    },

    async abort(setId) {
      ready.delete(setId);
      await rm(staged(setId), { recursive: true, force: true });
    },

    async listManifests() {
      const entries = await readdir(dir).catch(() => [] as string[]);
      const out: string[] = [];
      for (const entry of entries.filter((e) => !e.startsWith('.')).sort()) {
        const text = await readFile(join(dir, entry, 'manifest.json'), 'utf8').catch(() => undefined);
        if (text !== undefined) out.push(text);
      }
      return out;
    },

    async remove(setId) {
      await rm(final(setId), { recursive: true, force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
