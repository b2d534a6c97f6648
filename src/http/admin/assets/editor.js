/* global document, window, setTimeout, clearTimeout, FormData, history, confirm */
import { api, clearFlash, el, flash, formatDate, session, showError } from './common.js';

// The article editor: markdown with a debounced server-side preview (the same renderer and sanitizer as saving),
// tags, a cover image from the media library or a fresh upload, and publish / schedule / unpublish / delete.

const form = document.getElementById('editor');
const field = (id) => document.getElementById(id);
const state = {
  id: form.dataset.articleId ? Number(form.dataset.articleId) : undefined,
  article: undefined,
  cover: null,
};

// --- preview -------------------------------------------------------------------------------------------------
let previewTimer;
let previewSeq = 0;
function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(() => void renderPreview(), 300);
}
async function renderPreview() {
  const seq = ++previewSeq;
  try {
    const { html } = await api('POST', '/api/preview', { markdown: field('markdown').value });
    // The API sanitized this HTML exactly as it will for readers; a slower, older answer must not win.
    if (seq === previewSeq) field('preview').innerHTML = html;
  } catch (err) {
    if (seq === previewSeq) showError(err);
  }
}
field('markdown').addEventListener('input', schedulePreview);

// --- cover image ---------------------------------------------------------------------------------------------
function mediaThumb(media) {
  return media.variants?.['400'] ?? media.url;
}
function showCover(media) {
  state.cover = media;
  const box = field('cover-current');
  box.replaceChildren(
    media
      ? el(
          'figure',
          {},
          el('img', { src: mediaThumb(media), alt: media.alt ?? '', id: 'cover-image' }),
          el('figcaption', {}, media.originalName),
        )
      : el('p', { class: 'muted' }, 'No cover image.'),
  );
  field('cover-clear').hidden = !media;
}
async function loadCover(id) {
  if (id === null || id === undefined) return showCover(null);
  try {
    showCover(await api('GET', `/api/media/${id}`));
  } catch (err) {
    showCover(null);
    showError(err);
  }
}
field('cover-clear').addEventListener('click', () => showCover(null));
field('cover-choose').addEventListener('click', async () => {
  const grid = field('cover-library');
  if (!grid.hidden) {
    grid.hidden = true;
    return;
  }
  try {
    const { data } = await api('GET', '/api/media?limit=48');
    grid.replaceChildren(
      ...(data.length === 0
        ? [el('p', { class: 'muted' }, 'The library is empty: upload an image below.')]
        : data.map((m) =>
            el(
              'button',
              {
                type: 'button',
                class: 'media-pick',
                'aria-label': `Use ${m.originalName} as cover`,
                onclick: () => {
                  showCover(m);
                  grid.hidden = true;
                  field('cover-choose').focus();
                },
              },
              el('img', { src: mediaThumb(m), alt: m.alt ?? '' }),
            ),
          )),
    );
    grid.hidden = false;
  } catch (err) {
    showError(err);
  }
});
field('cover-file').addEventListener('change', async () => {
  const input = field('cover-file');
  const file = input.files?.[0];
  if (!file) return;
  const body = new FormData();
  const alt = field('cover-alt').value.trim();
  if (alt) body.append('alt', alt);
  body.append('file', file);
  try {
    const media = await api('POST', '/api/media', body);
    showCover(media);
    flash('Image uploaded; save to keep it as the cover.', 'info');
  } catch (err) {
    showError(err);
  } finally {
    input.value = '';
  }
});

// --- article -------------------------------------------------------------------------------------------------
function values() {
  return {
    title: field('title').value,
    markdown: field('markdown').value,
    tags: field('tags')
      .value.split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    coverMediaId: state.cover ? state.cover.id : null,
  };
}

async function render(article, user) {
  state.article = article;
  field('title').value = article.title;
  field('markdown').value = article.markdown;
  field('tags').value = article.tags.map((t) => t.name).join(', ');
  field('status').textContent = article.status;
  field('published-at').textContent = article.publishedAt
    ? `${article.status === 'scheduled' ? 'for' : 'since'} ${formatDate(article.publishedAt)}`
    : '';
  const view = field('view-link');
  view.hidden = article.status !== 'published';
  view.href = `/articles/${encodeURIComponent(article.slug)}`;
  const mayEdit = user.role !== 'author' || article.author.id === user.id;
  for (const control of form.querySelectorAll('input, textarea, button')) control.disabled = !mayEdit;
  field('publish').hidden = !mayEdit || article.status === 'published';
  field('schedule-box').hidden = !mayEdit || article.status === 'published';
  field('unpublish').hidden = !mayEdit || article.status === 'draft';
  field('delete').hidden = !mayEdit;
  field('save').hidden = !mayEdit;
  if (!mayEdit) flash('You may read this article but not change it.', 'info');
  await loadCover(article.coverMediaId);
  await renderPreview();
}

async function save() {
  const body = values();
  if (state.id === undefined) {
    const created = await api('POST', '/api/articles', body);
    state.id = created.id;
    history.replaceState(null, '', `/admin/articles/${created.id}`);
    document.title = document.title.replace('New article', 'Edit article');
    document.querySelector('main h1').textContent = 'Edit article';
    return created;
  }
  return api('PATCH', `/api/articles/${state.id}`, body);
}

async function act(label, run) {
  clearFlash();
  const { user } = await session();
  try {
    const article = await run();
    if (article) await render(article, user);
    flash(label, 'ok');
  } catch (err) {
    showError(err);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void act('Saved.', save);
});
field('publish').addEventListener('click', () =>
  act('Published.', async () => {
    await save();
    return api('POST', `/api/articles/${state.id}/publish`, {});
  }),
);
field('schedule').addEventListener('click', () =>
  act('Scheduled.', async () => {
    const local = field('schedule-at').value;
    if (!local) throw new Error('Pick the date and time to publish at.');
    await save();
    return api('POST', `/api/articles/${state.id}/publish`, { at: new Date(local).toISOString() });
  }),
);
field('unpublish').addEventListener('click', () =>
  act('Back to draft.', () => api('POST', `/api/articles/${state.id}/unpublish`)),
);
field('delete').addEventListener('click', async () => {
  if (!confirm('Delete this article for good?')) return;
  try {
    await api('DELETE', `/api/articles/${state.id}`);
    window.location.assign('/admin/articles');
  } catch (err) {
    showError(err);
  }
});

async function start() {
  const { user } = await session();
  if (state.id === undefined) {
    // A new article can be saved as a draft or published straight away; scheduling needs it saved too.
    field('publish').hidden = false;
    field('schedule-box').hidden = false;
    showCover(null);
    return;
  }
  await render(await api('GET', `/api/articles/${state.id}`), user);
}

start().catch(showError);
