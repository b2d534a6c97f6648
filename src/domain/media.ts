/** The widths (px) of the WebP variants made for every uploaded image; larger than the original are skipped. */
export const VARIANT_WIDTHS = [400, 800, 1600] as const;

/** `media.variants` holds JSON: width → storage key of the WebP variant, e.g. {"400": "2026/11/ab12-400.webp"}. */
export type MediaVariants = Partial<Record<`${(typeof VARIANT_WIDTHS)[number]}`, string>>;

export function parseVariants(text: string | null): MediaVariants {
  if (text === null || text === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

/** The public URL of a stored key; keys are made by the media service and never contain a user's path. */
export function mediaUrl(publicUrl: string, key: string): string {
  return `${publicUrl}/${key.split('/').map(encodeURIComponent).join('/')}`;
}
