import type { S3ClientConfig } from '@aws-sdk/client-s3';

/** Where an S3-compatible bucket lives and who we are there: shared by backup destinations and media storage. */
export interface S3Connection {
  bucket: string;
  region: string;
  endpoint: string | undefined;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
}

/** The S3Client settings every Inkstone bucket uses (type-only import: the SDK itself still loads lazily). */
export function s3ClientConfig(c: S3Connection): S3ClientConfig {
  return {
    region: c.region,
    endpoint: c.endpoint,
    forcePathStyle: c.forcePathStyle,
    // Newer SDKs add CRC checksums with aws-chunked uploads by default, which S3-compatible stores (OSS, older
    // MinIO, s3rver) reject; backup parts carry their own sha256 and media are checked on upload anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials:
      c.accessKeyId && c.secretAccessKey
        ? { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }
        : undefined,
  };
}
