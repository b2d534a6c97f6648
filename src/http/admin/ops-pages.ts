import { DESCRIPTION_MAX, POSTS_PER_PAGE_MAX, TITLE_MAX } from '../../domain/settings.js';

// The static markup of the admin-only sections (ops dashboard, site settings); assets/ops.js and
// assets/settings.js fill them from the JSON API.

/** Each region says what it holds; ops.js replaces a region with the part's error when the API could not read it. */
export const opsBody = `
<p class="status-line">Updated <span id="generated">…</span> · refreshes every 15 s
<button type="button" id="refresh" class="link-button">Refresh now</button></p>
<section aria-labelledby="health-h" class="ops-section">
<h2 id="health-h">Health</h2>
<div id="health" aria-busy="true"></div>
</section>
<section aria-labelledby="traffic-h" class="ops-section">
<h2 id="traffic-h">Traffic, last hour <small>(this instance)</small></h2>
<ul class="stats" id="traffic-totals"></ul>
<div id="traffic" class="charts"></div>
</section>
<section aria-labelledby="queue-h" class="ops-section">
<h2 id="queue-h">Queue</h2>
<div id="queue"></div>
</section>
<section aria-labelledby="backups-h" class="ops-section">
<h2 id="backups-h">Backups</h2>
<p class="actions"><button type="button" id="backup-now">Back up now</button>
<button type="button" id="backup-incremental">Incremental backup now</button></p>
<div id="backups"></div>
</section>
<section aria-labelledby="schedule-h" class="ops-section">
<h2 id="schedule-h">Scheduler runs <small>(last 24 h, latest per task)</small></h2>
<div id="schedule"></div>
</section>
<section aria-labelledby="recent-h" class="ops-section">
<h2 id="recent-h">Recent errors and slow requests</h2>
<div id="recent"></div>
</section>`;

function field(name: string, label: string, input: string): string {
  return `<p><label for="s-${name}">${label}</label>${input}
<span class="field-error" id="s-${name}-error" hidden></span></p>`;
}

/** Field errors from a 422 go into the span after each field (its id is the input's aria-describedby). */
export const settingsBody = `
<form id="settings" class="settings-form" novalidate aria-busy="true">
${field('title', 'Site title', `<input id="s-title" name="title" required maxlength="${TITLE_MAX}" aria-describedby="s-title-error">`)}
${field('description', 'Description', `<textarea id="s-description" name="description" rows="3" maxlength="${DESCRIPTION_MAX}" aria-describedby="s-description-error"></textarea>`)}
${field('postsPerPage', 'Articles per page', `<input id="s-postsPerPage" name="postsPerPage" type="number" step="1" min="1" max="${POSTS_PER_PAGE_MAX}" aria-describedby="s-postsPerPage-error">`)}
<p class="check"><input id="s-commentsOpen" name="commentsOpen" type="checkbox" aria-describedby="s-commentsOpen-error">
<label for="s-commentsOpen">Readers may post comments</label>
<span class="field-error" id="s-commentsOpen-error" hidden></span></p>
<p><button type="submit">Save settings</button></p>
</form>`;
