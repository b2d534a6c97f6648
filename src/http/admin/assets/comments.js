/* global document, URLSearchParams, confirm */
import { api, currentPage, el, flash, formatDate, renderPager, showError } from './common.js';

// The moderation queue: approve, mark as spam or delete; each decision removes the comment from this list.

const list = document.getElementById('comments');
const status = list.dataset.status;

function item(c) {
  const li = el('li', { class: 'comment', id: `comment-${c.id}` });
  const act = async (label, run) => {
    try {
      await run();
      li.remove();
      document.getElementById('comments-empty').hidden = list.children.length > 0;
      flash(`${label}: comment by ${c.name}.`, 'ok');
    } catch (err) {
      showError(err);
    }
  };
  const buttons = [];
  if (status !== 'approved') {
    buttons.push(
      el(
        'button',
        { type: 'button', onclick: () => act('Approved', () => api('POST', `/api/comments/${c.id}/approve`)) },
        'Approve',
      ),
    );
  }
  if (status !== 'spam') {
    buttons.push(
      el(
        'button',
        { type: 'button', onclick: () => act('Marked as spam', () => api('POST', `/api/comments/${c.id}/spam`)) },
        'Spam',
      ),
    );
  }
  buttons.push(
    el(
      'button',
      {
        type: 'button',
        class: 'danger',
        onclick: () => {
          if (confirm('Delete this comment for good?'))
            void act('Deleted', () => api('DELETE', `/api/comments/${c.id}`));
        },
      },
      'Delete',
    ),
  );
  li.append(
    el(
      'p',
      { class: 'meta' },
      el('strong', {}, c.name),
      ` <${c.email}> on `,
      el('a', { href: `/admin/articles/${c.articleId}` }, `article #${c.articleId}`),
      `, ${formatDate(c.createdAt)}`,
    ),
    el('blockquote', {}, c.body),
    el('div', { class: 'actions' }, ...buttons),
  );
  return li;
}

async function load() {
  const params = new URLSearchParams({ status, page: String(currentPage()), limit: '20' });
  const { data, meta } = await api('GET', `/api/comments?${params.toString()}`);
  list.replaceChildren(...data.map(item));
  document.getElementById('comments-empty').hidden = data.length > 0;
  renderPager(document.getElementById('pager'), meta);
}

load().catch(showError);
