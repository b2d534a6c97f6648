/* global document, FormData, URLSearchParams, confirm */
import { api, currentPage, el, flash, formatDate, renderPager, showError } from './common.js';

// The media library: upload (multipart POST /api/media), browse newest first, delete what you may.

const grid = document.getElementById('media');

// The media DTO does not name the uploader, so authors see Delete on every image and the API refuses others'.
function card(m) {
  const li = el(
    'li',
    { class: 'media-card' },
    el('a', { href: m.url }, el('img', { src: m.variants?.['400'] ?? m.url, alt: m.alt ?? '' })),
    el('p', {}, el('strong', {}, m.originalName)),
    el(
      'p',
      { class: 'muted' },
      `${m.width ?? '?'}×${m.height ?? '?'} · ${Math.ceil(m.sizeBytes / 1024)} KB · ${formatDate(m.createdAt)}`,
    ),
    el('p', {}, el('label', {}, 'URL ', el('input', { value: m.url, readonly: true }))),
  );
  li.append(
    el(
      'button',
      {
        type: 'button',
        class: 'danger',
        'aria-label': `Delete ${m.originalName}`,
        onclick: async () => {
          if (!confirm('Delete this image for good?')) return;
          try {
            await api('DELETE', `/api/media/${m.id}`);
            li.remove();
            flash('Image deleted.', 'ok');
          } catch (err) {
            showError(err);
          }
        },
      },
      'Delete',
    ),
  );
  return li;
}

async function load() {
  const params = new URLSearchParams({ page: String(currentPage()), limit: '24' });
  const { data, meta } = await api('GET', `/api/media?${params.toString()}`);
  grid.replaceChildren(...data.map(card));
  document.getElementById('media-empty').hidden = data.length > 0;
  renderPager(document.getElementById('pager'), meta);
}

document.getElementById('upload').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const file = form.elements.file.files?.[0];
  if (!file) {
    flash('Choose an image to upload.');
    return;
  }
  const body = new FormData();
  const alt = form.elements.alt.value.trim();
  if (alt) body.append('alt', alt);
  body.append('file', file);
  try {
    await api('POST', '/api/media', body);
    form.reset();
    flash('Uploaded.', 'ok');
    await load();
  } catch (err) {
    showError(err);
  }
});

load().catch(showError);
