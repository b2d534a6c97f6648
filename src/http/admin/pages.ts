// The static markup of each admin section; each section's module (assets/<name>.js) fills the empty regions.

export const dashboardBody = `
<section aria-labelledby="counts-h">
<h2 id="counts-h">At a glance</h2>
<ul class="stats" id="stats" aria-busy="true"></ul>
</section>
<p><a class="button" href="/admin/articles/new">Write a new article</a></p>`;

const articleFilters = [
  ['', 'All'],
  ['draft', 'Drafts'],
  ['scheduled', 'Scheduled'],
  ['published', 'Published'],
] as const;

export function articlesBody(status: string): string {
  const tabs = articleFilters
    .map(([value, label]) => {
      const href = value === '' ? '/admin/articles' : `/admin/articles?status=${value}`;
      const current = value === status ? ' aria-current="true"' : '';
      return `<li><a href="${href}"${current}>${label}</a></li>`;
    })
    .join('');
  return `
<p><a class="button" href="/admin/articles/new">New article</a></p>
<nav aria-label="Filter by status"><ul class="tabs">${tabs}</ul></nav>
<table class="list" id="articles" data-status="${status}">
<caption class="visually-hidden">Articles</caption>
<thead><tr><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Author</th><th scope="col">Updated</th></tr></thead>
<tbody></tbody>
</table>
<p class="empty" id="articles-empty" hidden>No articles here yet.</p>
<nav aria-label="Pages" class="pager" id="pager"></nav>`;
}

export function editorBody(articleId: number | undefined): string {
  return `
<form id="editor" class="editor" data-article-id="${articleId ?? ''}" novalidate>
<p class="status-line">Status: <strong id="status">${articleId === undefined ? 'new' : '…'}</strong>
<span id="published-at"></span> <a id="view-link" href="#" hidden>View on site</a></p>
<p><label for="title">Title</label><input id="title" name="title" required maxlength="300"></p>
<p><label for="tags">Tags <small>(comma separated)</small></label><input id="tags" name="tags" autocomplete="off"></p>
<div class="split">
<p class="pane"><label for="markdown">Markdown</label><textarea id="markdown" name="markdown" rows="20" spellcheck="true"></textarea></p>
<section class="pane" aria-labelledby="preview-h"><h2 id="preview-h" class="pane-title">Preview</h2>
<div id="preview" class="preview" aria-live="polite"></div></section>
</div>
<fieldset class="cover"><legend>Cover image</legend>
<div id="cover-current" class="cover-current"></div>
<p><button type="button" id="cover-choose">Choose from library</button>
<button type="button" id="cover-clear" hidden>Remove cover</button></p>
<p><label for="cover-file">Upload a new image</label><input id="cover-file" type="file" accept="image/jpeg,image/png,image/webp,image/gif,image/avif">
<label for="cover-alt">Alt text</label><input id="cover-alt" maxlength="500"></p>
<div id="cover-library" class="media-grid" hidden></div>
</fieldset>
<div class="actions">
<button type="submit" id="save">Save</button>
<button type="button" id="publish" hidden>Publish now</button>
<span class="schedule" id="schedule-box" hidden><label for="schedule-at">Publish at</label>
<input id="schedule-at" type="datetime-local"><button type="button" id="schedule">Schedule</button></span>
<button type="button" id="unpublish" hidden>Unpublish</button>
<button type="button" id="delete" class="danger" hidden>Delete</button>
</div>
</form>`;
}

export function commentsBody(status: string): string {
  const tabs = (['pending', 'approved', 'spam'] as const)
    .map((s) => {
      const current = s === status ? ' aria-current="true"' : '';
      return `<li><a href="/admin/comments?status=${s}"${current}>${s[0]!.toUpperCase()}${s.slice(1)}</a></li>`;
    })
    .join('');
  return `
<nav aria-label="Filter by state"><ul class="tabs">${tabs}</ul></nav>
<ol id="comments" class="comments" data-status="${status}"></ol>
<p class="empty" id="comments-empty" hidden>Nothing here.</p>
<nav aria-label="Pages" class="pager" id="pager"></nav>`;
}

export const mediaBody = `
<form id="upload" class="inline-form">
<p><label for="file">Image</label><input id="file" name="file" type="file" required accept="image/jpeg,image/png,image/webp,image/gif,image/avif"></p>
<p><label for="alt">Alt text</label><input id="alt" name="alt" maxlength="500"></p>
<p><button type="submit">Upload</button></p>
</form>
<ul id="media" class="media-grid"></ul>
<p class="empty" id="media-empty" hidden>No images yet.</p>
<nav aria-label="Pages" class="pager" id="pager"></nav>`;

export const usersBody = `
<table class="list" id="users">
<caption class="visually-hidden">Users</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Since</th></tr></thead>
<tbody></tbody>
</table>
<h2>Add a user</h2>
<form id="new-user" class="inline-form" novalidate>
<p><label for="nu-email">Email</label><input id="nu-email" name="email" type="email" required autocomplete="off"></p>
<p><label for="nu-name">Name</label><input id="nu-name" name="name" autocomplete="off"></p>
<p><label for="nu-role">Role</label><select id="nu-role" name="role"><option value="author">author</option><option value="editor">editor</option><option value="admin">admin</option></select></p>
<p><label for="nu-password">Password <small>(10+ characters)</small></label><input id="nu-password" name="password" type="password" required minlength="10" autocomplete="new-password"></p>
<p><button type="submit">Add user</button></p>
</form>`;
