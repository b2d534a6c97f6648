import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

export type RenderMarkdown = (markdown: string) => string;

/**
 * Markdown -> HTML once, on write, then through an allow-list sanitizer: whatever the author typed (raw HTML,
 * javascript: links, event handlers), only the tags and attributes below reach a reader's browser.
 */
export function createMarkdownRenderer(): RenderMarkdown {
  // A Marked instance of our own: the module-level `marked` carries global options other code could change.
  const marked = new Marked({ gfm: true, breaks: false, async: false });
  const options: sanitizeHtml.IOptions = {
    allowedTags: [
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'span'],
      ...['ul', 'ol', 'li', 'strong', 'em', 'del', 's', 'a', 'img', 'sup', 'sub', 'kbd'],
      ...['table', 'thead', 'tbody', 'tr', 'th', 'td', 'input'],
    ],
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      code: ['class'],
      th: ['align'],
      td: ['align'],
      input: ['type', 'checked', 'disabled'],
    },
    allowedClasses: { code: [/^language-[\w-]+$/] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener' }),
      // Only GFM task-list checkboxes survive as inputs, and they cannot be edited.
      input: (_tag, attribs) =>
        attribs.type === 'checkbox'
          ? { tagName: 'input', attribs: { ...attribs, disabled: '' } }
          : { tagName: 'span', attribs: {} },
    },
  };
  return (markdown) => sanitizeHtml(marked.parse(markdown) as string, options);
}
