import type { MediaRecord } from '../../../adapters/db/repositories/media.js';
import { mediaUrl, parseVariants } from '../../../domain/media.js';
import { iso } from '../common-schema.js';

export function mediaDto(row: MediaRecord, publicUrl: string) {
  const variants: Record<string, string> = {};
  for (const [width, key] of Object.entries(parseVariants(row.variants))) {
    if (typeof key === 'string') variants[width] = mediaUrl(publicUrl, key);
  }
  return {
    id: row.id,
    url: mediaUrl(publicUrl, row.storage_key),
    originalName: row.original_name,
    mime: row.mime,
    sizeBytes: row.size_bytes,
    width: row.width,
    height: row.height,
    alt: row.alt,
    variants,
    createdAt: iso(row.created_at),
  };
}
