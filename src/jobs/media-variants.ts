import type { MediaService } from '../services/media/media-service.js';
import { ValidationError } from '../domain/errors.js';
import type { JobHandler } from './handlers.js';
import { JOB } from './names.js';

/** Makes an upload's WebP variants. A corrupt image throws here: the worker retries, then keeps it in failed jobs. */
export function mediaVariantsHandler(media: MediaService): JobHandler {
  return async (payload, { signal }) => {
    const mediaId = (payload as { mediaId?: unknown } | null)?.mediaId;
    if (typeof mediaId !== 'number') throw new ValidationError('expected a payload like {"mediaId": 12}');
    await media.makeVariants(mediaId, signal);
  };
}

/** What the media service queues after storing an upload. */
export function mediaVariantsJob(mediaId: number) {
  return { name: JOB.mediaVariants, payload: { mediaId } };
}
