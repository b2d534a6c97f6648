import type { Listing } from '../../../services/site/site-reader.js';
import { html, type SafeHtml } from '../html.js';
import { pagination, postCard } from './parts.js';

/** A page of post cards under a heading: home, tag, author and search pages all look like this. */
export function listingBody(opts: {
  heading: string;
  intro?: SafeHtml;
  listing: Listing;
  path: string;
  query?: Record<string, string>;
  empty: string;
  visuallyHiddenHeading?: boolean;
}): SafeHtml {
  const { listing } = opts;
  return html`<h1${opts.visuallyHiddenHeading ? html` class="visually-hidden"` : ''}>${opts.heading}</h1>
${opts.intro ?? ''}
${listing.items.length === 0 ? html`<p class="empty">${opts.empty}</p>` : listing.items.map(postCard)}
${pagination(listing.page, listing.pages, opts.path, opts.query)}`;
}
