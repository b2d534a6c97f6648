import type { MediaRecord, MediaRepository } from '../../adapters/db/repositories/media.js';
import type { ImageTools } from '../../adapters/media-storage/image-tools.js';
import type { MediaStorage } from '../../adapters/media-storage/media-storage.js';
import { AppError, ForbiddenError, NotFoundError } from '../../domain/errors.js';
import { parseVariants, VARIANT_WIDTHS, type MediaVariants } from '../../domain/media.js';
import type { Actor } from '../../domain/policy.js';
import type { ContentChanged } from '../content-changes.js';
import { IMAGE_TYPES, sniffImage } from './sniff.js';

export interface MediaLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface MediaServiceDeps {
  repo: MediaRepository;
  storage: MediaStorage;
  images: ImageTools;
  /** Queues the `media:variants` job for a stored upload. */
  queueVariants(mediaId: number): Promise<void>;
  now: () => Date;
  /** An unguessable, URL-safe name for a stored file (keys are never made from what a client sends). */
  randomName: () => string;
  logger: MediaLogger;
  changed?: ContentChanged;
}

export interface NewUpload {
  bytes: Buffer;
  originalName: string;
  alt: string | null;
}

export interface MediaService {
  upload(actor: Actor, upload: NewUpload): Promise<MediaRecord>;
  list(actor: Actor, page: number, limit: number): Promise<{ items: MediaRecord[]; total: number }>;
  get(actor: Actor, id: number): Promise<MediaRecord>;
  /** The uploader, editors and admins; removes the row, then the original and its variants. */
  delete(actor: Actor, id: number): Promise<void>;
  /**
   * The `media:variants` job: WebP copies at the widths narrower than the original; undefined when gone. An
   * original stored before uploads were cleaned loses its metadata here too (so re-running it cleans old uploads).
   */
  makeVariants(id: number, signal?: AbortSignal): Promise<MediaVariants | undefined>;
  /** Every upload's id, oldest first: for the operator's `media:variants --all` (no actor: the CLI is the operator). */
  allIds(): Promise<number[]>;
  /** Queues the `media:variants` job again for an existing upload (404 when there is none). */
  queueVariants(id: number): Promise<void>;
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super('unsupported_media_type', message, 415);
  }
}

/** The name as a label only (it never reaches a key): its last path segment, no control characters, 255 max. */
function cleanName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return [...base].slice(0, 255).join('') || 'upload';
}

const variantKey = (key: string, width: number) => `${key.replace(/\.[a-z0-9]+$/, '')}-${width}.webp`;

export function createMediaService(deps: MediaServiceDeps): MediaService {
  const { repo, storage, images } = deps;

  async function tellCovers(ids: readonly number[]) {
    // Counted as public without loading each article: a cover changes rarely, a needless warm-up costs little.
    for (const articleId of ids) await deps.changed?.({ kind: 'article', articleId, public: true });
  }

  async function find(id: number): Promise<MediaRecord> {
    const row = await repo.findById(id);
    if (!row) throw new NotFoundError('media');
    return row;
  }

  return {
    async upload(actor, { bytes, originalName, alt }) {
      const mime = sniffImage(bytes);
      if (!mime) throw new UnsupportedMediaTypeError('only JPEG, PNG, WebP, GIF and AVIF images are accepted');
      let size: { width: number; height: number };
      let clean: Buffer;
      try {
        size = await images.probe(bytes);
        // What a camera or phone wrote (GPS position, device, owner) is not the author's to publish by accident:
        // the stored original carries none of it, like its variants.
        clean = await images.stripMetadata(bytes);
      } catch {
        throw new UnsupportedMediaTypeError(`the file starts like ${mime} but is not a readable image`);
      }
      const now = deps.now();
      const month = String(now.getUTCMonth() + 1).padStart(2, '0');
      const key = `${now.getUTCFullYear()}/${month}/${deps.randomName()}.${IMAGE_TYPES[mime]}`;
      await storage.put(key, clean, mime);
      let id: number;
      try {
        id = await repo.insert({
          user_id: actor.id,
          storage_key: key,
          original_name: cleanName(originalName),
          mime,
          size_bytes: clean.length,
          width: size.width,
          height: size.height,
          variants: null,
          alt,
          created_at: now,
        });
      } catch (err) {
        await storage.delete([key]).catch(() => undefined);
        throw err;
      }
      // The upload is kept whatever happens to the job: a queue that is down costs the variants (the original is
      // served in their place), not the upload; `queue:retry` or a re-upload makes them later.
      await deps.queueVariants(id).catch((err: unknown) => {
        deps.logger.warn({ err, mediaId: id }, 'could not queue the media variants job');
      });
      return find(id);
    },

    list: (_actor, page, limit) => repo.list(page, limit),

    get: (_actor, id) => find(id),

    async delete(actor, id) {
      const row = await find(id);
      const mayDelete = actor.role === 'admin' || actor.role === 'editor' || row.user_id === actor.id;
      if (!mayDelete) throw new ForbiddenError('only the uploader, editors and admins may delete an upload');
      const covers = await repo.coverOf(id);
      if (!(await repo.delete(id))) throw new NotFoundError('media');
      // Row first, files after: nothing ever points at a missing file. A file left behind by a failed delete
      // is unreachable (keys are random and never reused), so it is logged, not retried.
      const keys = [row.storage_key, ...Object.values(parseVariants(row.variants))];
      await storage.delete(keys).catch((err: unknown) => {
        deps.logger.warn({ err, mediaId: id, keys }, 'could not delete the files of a deleted upload');
      });
      await tellCovers(covers);
    },

    allIds: () => repo.ids(),

    async queueVariants(id) {
      await find(id);
      await deps.queueVariants(id);
    },

    async makeVariants(id, signal) {
      const row = await repo.findById(id);
      if (!row) return undefined;
      const stored = await storage.read(row.storage_key);
      if (!stored) throw new Error(`the original of media ${id} (${row.storage_key}) is missing from storage`);
      const original = await images.stripMetadata(stored);
      const cleaned = original !== stored;
      if (cleaned) {
        await storage.put(row.storage_key, original, row.mime);
        await repo.setSize(id, original.length);
      }
      // Never upscale: only the widths narrower than the original (as shown, EXIF orientation applied).
      const { width } = await images.probe(original);
      const variants: MediaVariants = {};
      for (const w of VARIANT_WIDTHS.filter((v) => v < width)) {
        signal?.throwIfAborted();
        const key = variantKey(row.storage_key, w);
        await storage.put(key, await images.resizeToWebp(original, w), 'image/webp');
        variants[`${w}`] = key;
      }
      if (!(await repo.setVariants(id, JSON.stringify(variants)))) {
        // Deleted while we worked: its delete could not know about these files (nor a cleaned original put back).
        await storage.delete([...Object.values(variants), ...(cleaned ? [row.storage_key] : [])]);
        return undefined;
      }
      deps.logger.info({ mediaId: id, widths: Object.keys(variants), cleaned }, 'media variants made');
      await tellCovers(await repo.coverOf(id));
      return variants;
    },
  };
}
