import { NotFoundError } from '../../domain/errors.js';
import type { MediaService } from './media-service.js';

export type VariantsTarget = { id: number } | { all: true };

export interface RedoVariantsOptions {
  /** Make the variants in this process instead of queueing jobs (no worker needed). */
  inline: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface RedoVariantsResult {
  mode: 'queued' | 'inline';
  total: number;
  /** Jobs queued (queued mode) or uploads whose variants were made (inline). */
  done: number;
  /** Deleted between the listing and their turn (inline). */
  gone: number[];
  failed: Array<{ id: number; error: string }>;
}

/**
 * `media:variants`: the variants again for one upload or all of them — uploads made before variants existed, whose
 * job failed, or after the widths changed. One failure does not stop the rest: it is listed, and the run fails.
 */
export async function redoVariants(
  media: MediaService,
  target: VariantsTarget,
  options: RedoVariantsOptions,
): Promise<RedoVariantsResult> {
  const one = async (id: number): Promise<boolean> => {
    if (!options.inline) {
      await media.queueVariants(id);
      return true;
    }
    return (await media.makeVariants(id, options.signal)) !== undefined;
  };
  const mode = options.inline ? 'inline' : 'queued';
  // One named upload: an unknown id or a failure is the command's answer, not one line among many.
  if ('id' in target) {
    options.onProgress?.(0, 1);
    if (!(await one(target.id))) throw new NotFoundError('media');
    options.onProgress?.(1, 1);
    return { mode, total: 1, done: 1, gone: [], failed: [] };
  }
  const ids = await media.allIds();
  const result: RedoVariantsResult = { mode, total: ids.length, done: 0, gone: [], failed: [] };
  options.onProgress?.(0, ids.length);
  for (const [i, id] of ids.entries()) {
    options.signal?.throwIfAborted();
    try {
      if (await one(id)) result.done++;
      else result.gone.push(id);
    } catch (err) {
      // A deleted upload is gone, not failed (queued mode finds out here, inline mode by the undefined above).
      if (err instanceof NotFoundError) result.gone.push(id);
      else result.failed.push({ id, error: err instanceof Error ? err.message : String(err) });
    }
    options.onProgress?.(i + 1, ids.length);
  }
  return result;
}
