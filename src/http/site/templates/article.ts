import type { ArticleView } from '../../../services/site/site-reader.js';
import { html, trusted, type SafeHtml } from '../html.js';
import { articlePath, byline, coverImage, langAttr, tagList, time } from './parts.js';

export interface CommentForm {
  values: { name: string; email: string; body: string };
  /** Field name → message, from a rejected post. */
  errors: Record<string, string>;
  /** The reader just posted and the comment waits for moderation. */
  pending: boolean;
}

const emptyForm: CommentForm = { values: { name: '', email: '', body: '' }, errors: {}, pending: false };

export function articleBody(view: ArticleView, form: CommentForm = emptyForm): SafeHtml {
  const { article } = view;
  return html`<article class="post" ${langAttr(article.title)}>
      <header>
        <h1>${article.title}</h1>
        ${byline(article)} ${tagList(article.tags)}
      </header>
      ${coverImage(view.cover, '', true)}
      <div class="content">${trusted(article.html)}</div>
    </article>
    ${commentsSection(view, form)}`;
}

/** Earlier/later links between pages of comments: plain links, no script needed. */
function commentPager(view: ArticleView): SafeHtml {
  const { page, pages } = view.commentPage;
  if (pages <= 1) return html``;
  const href = (n: number) => `${articlePath(view.article.slug)}${n > 1 ? `?page=${n}` : ''}#comments`;
  return html`<nav class="pagination" aria-label="Comment pages">
    ${page > 1 ? html`<a rel="prev" href="${href(page - 1)}">← Earlier comments</a>` : ''}
    <span>Comments page ${page} of ${pages}</span>
    ${page < pages ? html`<a rel="next" href="${href(page + 1)}">Later comments →</a>` : ''}
  </nav>`;
}

function commentsSection(view: ArticleView, form: CommentForm): SafeHtml {
  const { comments } = view;
  const { page, total, size } = view.commentPage;
  // Numbering goes on across pages: the first comment of page 2 is number size + 1.
  const start = (page - 1) * size + 1;
  const err = (field: string) =>
    form.errors[field] ? html`<p class="field-error" id="${field}-error">${form.errors[field]}</p>` : '';
  const invalid = (field: string) =>
    form.errors[field] ? html` aria-invalid="true" aria-describedby="${field}-error"` : '';
  return html`<section id="comments" aria-labelledby="comments-heading">
    <h2 id="comments-heading">${total === 1 ? '1 comment' : `${total} comments`}</h2>
    ${
      comments.length > 0
        ? html`<ol class="comments" start="${start}">
              ${comments.map(
                (c) =>
                  html`<li class="comment" id="comment-${c.id}" ${langAttr(c.body)}>
                    <p class="comment-meta"><strong>${c.author_name}</strong> · ${time(c.created_at)}</p>
                    <div class="comment-body">${c.body.split(/\n{2,}/).map((p) => html`<p>${p}</p>`)}</div>
                  </li>`,
              )}
            </ol>
            ${commentPager(view)}`
        : ''
    }
    ${form.pending ? html`<p class="notice" role="status">Thank you: your comment waits for moderation.</p>` : ''}
    <form
      class="comment-form"
      method="post"
      action="/articles/${encodeURIComponent(view.article.slug)}/comments"
      novalidate
    >
      <h3>Leave a comment</h3>
      ${Object.keys(form.errors).length > 0 ? html`<p class="form-error" role="alert">Please correct the fields below.</p>` : ''}
      <p>
        <label for="c-name">Name</label>
        <input
          id="c-name"
          name="name"
          required
          maxlength="100"
          autocomplete="name"
          value="${form.values.name}"
          ${invalid('name')}
        />
        ${err('name')}
      </p>
      <p>
        <label for="c-email">Email (not shown)</label>
        <input
          id="c-email"
          name="email"
          type="email"
          required
          maxlength="254"
          autocomplete="email"
          value="${form.values.email}"
          ${invalid('email')}
        />
        ${err('email')}
      </p>
      <p class="hp" aria-hidden="true">
        <label for="c-website">Website</label> <input id="c-website" name="website" tabindex="-1" autocomplete="off" />
      </p>
      <p>
        <label for="c-body">Comment</label>
        <textarea id="c-body" name="body" required rows="6" maxlength="5000" ${invalid('body')}>
${form.values.body}</textarea>
        ${err('body')}
      </p>
      <p><button type="submit">Post comment</button></p>
    </form>
  </section>`;
}
