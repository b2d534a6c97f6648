/* global document */
import { api, el, session, showError } from './common.js';

// Counts by status (limit=1: only meta.total is needed) and, for moderators, the pending comments.
async function load() {
  const { user } = await session();
  const stats = document.getElementById('stats');
  const rows = [
    ['draft', 'Drafts'],
    ['scheduled', 'Scheduled'],
    ['published', 'Published'],
  ];
  const items = await Promise.all(
    rows.map(async ([status, label]) => {
      const { meta } = await api('GET', `/api/manage/articles?status=${status}&limit=1`);
      return el(
        'li',
        {},
        el('a', { href: `/admin/articles?status=${status}` }, el('strong', {}, String(meta.total)), ` ${label}`),
      );
    }),
  );
  if (user.role !== 'author') {
    const { meta } = await api('GET', '/api/comments?status=pending&limit=1');
    items.push(
      el('li', {}, el('a', { href: '/admin/comments' }, el('strong', {}, String(meta.total)), ' Comments waiting')),
    );
  }
  stats.replaceChildren(...items);
  stats.removeAttribute('aria-busy');
}

load().catch(showError);
