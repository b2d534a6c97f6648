import { s3ClientConfig, type S3Connection } from '../s3/client-config.js';
import type * as S3 from '@aws-sdk/client-s3';
import type { _Object } from '@aws-sdk/client-s3';
import type * as S3Storage from '@aws-sdk/lib-storage';

interface Sdk {
  s3: typeof S3;
  Upload: typeof S3Storage.Upload;
  client: S3.S3Client;
}
import { PassThrough, type Readable } from 'node:stream';
import type { Destination, PartSink } from './destination.js';

export interface S3Options extends S3Connection {
  prefix: string;
}

/** Staged objects older than this with no manifest are an interrupted run's leftovers (S3 has no rename). */
const LEFTOVER_AGE_MS = 15 * 60_000;
const PART_BYTES = 8 * 1024 * 1024;

/**
 * Backup sets on any S3-compatible store (AWS S3, Aliyun OSS through its S3 endpoint, MinIO). Parts stream up as
 * multipart uploads; the manifest is written last, so a set without one is never listed.
 */
export function createS3Destination(options: S3Options): Destination {
  // The AWS SDK takes about half a second to load: only a process that talks to S3 pays for it, on first use.
  let loading: Promise<Sdk> | undefined;
  const sdk = () =>
    (loading ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]).then(([s3, storage]) => ({
      s3,
      Upload: storage.Upload,
      client: new s3.S3Client(s3ClientConfig(options)),
    })));
  const Bucket = options.bucket;
  const key = (id: string, file: string) => (options.prefix ? `${options.prefix}/${id}/${file}` : `${id}/${file}`);
  const root = options.prefix ? `${options.prefix}/` : '';

  async function listAll(prefix: string): Promise<_Object[]> {
    const out: _Object[] = [];
    let token: string | undefined;
    do {
      const { s3, client } = await sdk();
      const page = await client.send(new s3.ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }));
      out.push(...(page.Contents ?? []));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  async function removeKeys(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000).map((Key) => ({ Key }));
      const { s3, client } = await sdk();
      await client.send(new s3.DeleteObjectsCommand({ Bucket, Delete: { Objects: batch } }));
    }
  }

  function setIdOf(k: string): string {
    return k.slice(root.length).split('/')[0] ?? '';
  }

  return {
    name: 's3',

    async cleanLeftovers() {
      const objects = await listAll(root);
      const bySet = new Map<string, _Object[]>();
      for (const o of objects) {
        const id = setIdOf(o.Key!);
        bySet.set(id, [...(bySet.get(id) ?? []), o]);
      }
      const removed: string[] = [];
      for (const [id, objs] of bySet) {
        if (objs.some((o) => o.Key!.endsWith('/manifest.json'))) continue;
        const newest = Math.max(...objs.map((o) => o.LastModified?.getTime() ?? 0));
        if (Date.now() - newest < LEFTOVER_AGE_MS) continue; // may be a run in progress
        await removeKeys(objs.map((o) => o.Key!));
        removed.push(id);
      }
      return removed;
    },

    writePart(setId, file): PartSink {
      const stream = new PassThrough();
      // Writes buffer in the stream (with backpressure) until the SDK has loaded and the upload drains it.
      const done = sdk().then(({ Upload, client }) =>
        new Upload({ client, params: { Bucket, Key: key(setId, file), Body: stream }, partSize: PART_BYTES, queueSize: 2 })
          .done()
          .then(() => undefined),
      );
      return { stream, done };
    },

    async readPart(setId, file) {
      const { s3, client } = await sdk();
      const res = await client.send(new s3.GetObjectCommand({ Bucket, Key: key(setId, file) }));
      return res.Body as Readable;
    },

    async commit(setId, manifest) {
      const { s3, client } = await sdk();
      await client.send(
        new s3.PutObjectCommand({
          Bucket,
          Key: key(setId, 'manifest.json'),
          Body: manifest,
          ContentType: 'application/json',
        }),
      );
    },

    async abort(setId) {
      await removeKeys((await listAll(`${root}${setId}/`)).map((o) => o.Key!));
    },

    async listManifests() {
      const keys = (await listAll(root)).map((o) => o.Key!).filter((k) => k.endsWith('/manifest.json'));
      const out: string[] = [];
      for (const k of keys.sort()) {
        const { s3, client } = await sdk();
        const res = await client.send(new s3.GetObjectCommand({ Bucket, Key: k }));
        out.push(await res.Body!.transformToString());
      }
      return out;
    },

    async remove(setId) {
      const objs = await listAll(`${root}${setId}/`);
      // The manifest goes first, so a half-removed set is no longer listed as a backup.
      const manifest = objs.filter((o) => o.Key!.endsWith('/manifest.json')).map((o) => o.Key!);
      await removeKeys(manifest);
      await removeKeys(objs.map((o) => o.Key!).filter((k) => !manifest.includes(k)));
    },
  };
}
