/* global document, URLSearchParams */
import { api, currentPage, el, formatDate, renderPager, showError } from './common.js';

// The article list with its status filter (the server put the filter in data-status).
async function load() {
  const table = document.getElementById('articles');
  const status = table.dataset.status;
  const params = new URLSearchParams({ page: String(currentPage()), limit: '20' });
  if (status) params.set('status', status);
  const { data, meta } = await api('GET', `/api/manage/articles?${params.toString()}`);
  const rows = data.map((a) =>
    el(
      'tr',
      {},
      el('td', {}, el('a', { href: `/admin/articles/${a.id}` }, a.title)),
      el('td', {}, el('span', { class: `badge badge-${a.status}` }, a.status)),
      el('td', {}, a.author.name),
      el('td', {}, formatDate(a.updatedAt)),
    ),
  );
  table.tBodies[0].replaceChildren(...rows);
  document.getElementById('articles-empty').hidden = rows.length > 0;
  renderPager(document.getElementById('pager'), meta);
}

load().catch(showError);
