import { s3ClientConfig, type S3Connection } from '../s3/client-config.js';
import type * as S3 from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { assertSafeKey, type MediaStorage } from './media-storage.js';

export type S3MediaOptions = S3Connection;

interface Sdk {
  s3: typeof S3;
  client: S3.S3Client;
}

/** Media in an S3-compatible bucket (AWS S3, Aliyun OSS, MinIO). Objects are small: one PUT each, no multipart. */
export function createS3MediaStorage(options: S3MediaOptions): MediaStorage {
  // The AWS SDK takes about half a second to load: only a process that stores media on S3 pays, on first use.
  let loading: Promise<Sdk> | undefined;
  const sdk = () =>
    (loading ??= import('@aws-sdk/client-s3').then((s3) => ({
      s3,
      client: new s3.S3Client(s3ClientConfig(options)),
    })));
  const Bucket = options.bucket;
  const notFound = (err: unknown) => {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
  };

  async function getObject(key: string) {
    const { s3, client } = await sdk();
    try {
      return await client.send(new s3.GetObjectCommand({ Bucket, Key: assertSafeKey(key) }));
    } catch (err) {
      if (notFound(err)) return undefined;
      throw err;
    }
  }

  return {
    driver: 's3',
    async put(key, body, contentType) {
      const { s3, client } = await sdk();
      await client.send(
        new s3.PutObjectCommand({ Bucket, Key: assertSafeKey(key), Body: body, ContentType: contentType }),
      );
    },
    async get(key) {
      const out = await getObject(key);
      if (!out?.Body) return undefined;
      return {
        // In Node the SDK's body is an http.IncomingMessage: streamed through, never buffered here.
        body: out.Body as Readable,
        sizeBytes: out.ContentLength ?? 0,
        lastModified: out.LastModified ?? new Date(0),
        etag: out.ETag ?? `"${key}"`,
      };
    },
    async read(key) {
      const out = await getObject(key);
      if (!out?.Body) return undefined;
      return Buffer.from(await out.Body.transformToByteArray());
    },
    async delete(keys) {
      if (keys.length === 0) return;
      const objects = keys.map((k) => ({ Key: assertSafeKey(k) }));
      const { s3, client } = await sdk();
      for (let i = 0; i < objects.length; i += 1000) {
        await client.send(new s3.DeleteObjectsCommand({ Bucket, Delete: { Objects: objects.slice(i, i + 1000) } }));
      }
    },
    close() {
      void loading?.then(({ client }) => client.destroy());
    },
  };
}
