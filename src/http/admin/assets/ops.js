/* global document, window */
import { api, clearFlash, el, flash, showError } from './common.js';
import { ago, barChart, lineChart } from './ops-charts.js';

// The ops dashboard (admins): GET /api/ops/overview every 15 s, drawn section by section. A section whose part the
// API could not read (ok: false) shows that error instead. Refreshing pauses while a button's action runs, so a
// redraw never replaces the button being pressed.

const REFRESH_MS = 15_000;
let busy = false;
let lastOverview;

function timeEl(iso, nowMs) {
  return el('time', { datetime: iso, title: iso }, ago(nowMs - Date.parse(iso)));
}

function partError(part) {
  return el('p', { class: 'part-error', role: 'status' }, `Could not read this part: ${part.error}`);
}

function table(caption, headers, rows) {
  return el(
    'table',
    { class: 'list' },
    el('caption', { class: 'visually-hidden' }, caption),
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows),
  );
}

const ms = (v) => (v === null || v === undefined ? '–' : `${v} ms`);

function renderHealth(part, nowMs) {
  if (!part.ok) return [partError(part)];
  const report = part.data;
  const checks = Object.entries(report.checks).map(([name, c]) =>
    el(
      'li',
      { class: `check check-${c.status}`, 'data-check': name },
      el('strong', {}, name),
      ' ',
      el('span', { class: `badge badge-${c.status}` }, c.status),
      ` ${c.ms} ms`,
      c.detail ? el('span', { class: 'muted' }, ` — ${c.detail}`) : undefined,
    ),
  );
  return [
    el(
      'p',
      {},
      el('span', { class: `badge badge-${report.status}`, id: 'health-status' }, report.status),
      ` version ${report.version}${report.commit ? ` (${report.commit.slice(0, 12)})` : ''}, checked `,
      timeEl(report.timestamp, nowMs),
    ),
    el('ul', { class: 'checks' }, ...checks),
  ];
}

function renderTraffic(traffic) {
  const pct = (r) => `${(r * 100).toFixed(r > 0 && r < 0.01 ? 2 : 1)} %`;
  const totals = [
    [String(traffic.requests), ' requests'],
    [String(traffic.errors), ' 5xx errors'],
    [pct(traffic.errorRate), ' error rate'],
    [ms(traffic.p50Ms), ' p50'],
    [ms(traffic.p95Ms), ' p95'],
  ].map(([n, label]) => el('li', {}, el('span', {}, el('strong', {}, n), label)));
  const minutes = traffic.minutes;
  const label = (m) => new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const charts = [
    barChart({
      id: 'chart-requests',
      title: 'Requests per minute',
      points: minutes.map((m) => ({
        label: label(m),
        value: m.requests,
        highlight: m.errors,
        text: `${m.requests} requests, ${m.errors} errors`,
      })),
    }),
    lineChart({
      id: 'chart-latency',
      title: 'Latency per minute (p50, p95)',
      unit: 'ms',
      labels: minutes.map(label),
      series: [
        { name: 'p50', className: 'line-p50', values: minutes.map((m) => m.p50Ms) },
        { name: 'p95', className: 'line-p95', values: minutes.map((m) => m.p95Ms) },
      ],
    }),
    barChart({
      id: 'chart-errors',
      title: 'Error rate per minute (%)',
      className: 'chart-errors',
      points: minutes.map((m) => {
        const rate = m.requests === 0 ? 0 : (m.errors / m.requests) * 100;
        return { label: label(m), value: rate, highlight: rate, text: `${rate.toFixed(1)} % errors` };
      }),
    }),
  ];
  // The caption repeats the chart's <title> for sighted readers; the SVG keeps its own for assistive technology.
  const figures = charts.map((chart) =>
    el('figure', {}, el('figcaption', { 'aria-hidden': 'true' }, chart.querySelector('title').textContent), chart),
  );
  return { totals, charts: figures };
}

/** Runs a button's action with refreshing paused, then says what happened (`done` gets the action's answer). */
async function act(button, run, done) {
  busy = true;
  button.disabled = true;
  clearFlash();
  try {
    flash(done(await run()), 'ok');
  } catch (err) {
    showError(err);
  } finally {
    button.disabled = false;
    busy = false;
  }
  await refresh();
}

function failedRow(job, nowMs) {
  const retry = el('button', { type: 'button', 'aria-label': `Retry job ${job.id}` }, 'Retry');
  const forget = el('button', { type: 'button', class: 'danger', 'aria-label': `Forget job ${job.id}` }, 'Forget');
  retry.addEventListener('click', () =>
    act(
      retry,
      () => api('POST', `/api/ops/failed-jobs/${encodeURIComponent(job.id)}/retry`),
      () => `Job ${job.id} is queued again.`,
    ),
  );
  forget.addEventListener('click', () =>
    act(
      forget,
      () => api('DELETE', `/api/ops/failed-jobs/${encodeURIComponent(job.id)}`),
      () => `Job ${job.id} forgotten.`,
    ),
  );
  return el(
    'tr',
    { 'data-job-id': job.id },
    el('td', {}, el('code', {}, job.id)),
    el('td', {}, `${job.queue} / ${job.name}`),
    el('td', {}, String(job.attempts)),
    el('td', { class: 'error-text' }, job.error),
    el('td', {}, timeEl(job.failedAt, nowMs)),
    el('td', { class: 'row-actions' }, retry, ' ', forget),
  );
}

function renderQueue(part, nowMs) {
  if (!part.ok) return [partError(part)];
  const { driver, counts, failed, failedTotal } = part.data;
  const countRows = counts.map((c) =>
    el(
      'tr',
      { 'data-queue': c.queue },
      el('td', {}, c.queue),
      ...[c.waiting, c.active, c.delayed, c.failed, c.processedLastHour, c.failedLastHour].map((n) =>
        el('td', { class: 'num' }, String(n)),
      ),
      el('td', {}, c.oldestWaitingMs === null ? '–' : ago(c.oldestWaitingMs, '')),
    ),
  );
  const out = [
    el('p', { class: 'muted' }, `Driver: ${driver}`),
    counts.length === 0
      ? el('p', { class: 'empty' }, 'No queues have jobs yet.')
      : table(
          'Queue counts',
          ['Queue', 'Waiting', 'Active', 'Delayed', 'Failed', 'Done (1 h)', 'Failed (1 h)', 'Oldest waiting'],
          countRows,
        ),
    el('h3', {}, `Failed jobs (${failedTotal})`),
  ];
  if (failed.length === 0) out.push(el('p', { class: 'empty', id: 'failed-empty' }, 'No failed jobs.'));
  else {
    const t = table(
      'Failed jobs',
      ['Id', 'Job', 'Tries', 'Error', 'Failed', ''],
      failed.map((j) => failedRow(j, nowMs)),
    );
    t.id = 'failed-jobs';
    out.push(t);
    if (failedTotal > failed.length) out.push(el('p', { class: 'muted' }, `The newest ${failed.length} are shown.`));
  }
  return out;
}

function size(bytes) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

function renderBackups(part, nowMs) {
  if (!part.ok) return [partError(part)];
  if (part.data.length === 0) return [el('p', { class: 'empty' }, 'No backups yet.')];
  const newest = part.data[0];
  const rows = part.data.map((b) =>
    el(
      'tr',
      { 'data-backup-id': b.id },
      el('td', {}, el('code', {}, b.id)),
      el('td', {}, b.kind + (b.safety ? ' (safety)' : '')),
      el('td', {}, timeEl(b.createdAt, nowMs)),
      el('td', { class: 'num' }, size(b.size)),
      el('td', {}, b.destinations.join(', ')),
      el('td', {}, b.verified ? 'yes' : el('strong', { class: 'bad' }, 'no')),
    ),
  );
  return [
    el('p', {}, 'Newest backup: ', timeEl(newest.createdAt, nowMs)),
    table('Backups', ['Id', 'Kind', 'Age', 'Size', 'Stored on', 'Verified'], rows),
  ];
}

function renderSchedule(part, nowMs) {
  if (!part.ok) return [partError(part)];
  if (part.data.length === 0) return [el('p', { class: 'empty' }, 'No scheduled task ran in the last 24 hours.')];
  const rows = part.data.map((r) =>
    el(
      'tr',
      { 'data-task': r.task },
      el('td', {}, r.task),
      el('td', {}, timeEl(r.startedAt, nowMs)),
      el('td', {}, r.endedAt ? `${Math.max(0, Date.parse(r.endedAt) - Date.parse(r.startedAt))} ms` : 'running'),
      el('td', {}, el('span', { class: `badge badge-${r.outcome}` }, r.outcome)),
      el('td', { class: 'error-text' }, r.output ?? ''),
    ),
  );
  return [table('Scheduler runs', ['Task', 'Started', 'Took', 'Outcome', 'Output'], rows)];
}

function renderRecent(recent, nowMs) {
  if (recent.length === 0) return [el('p', { class: 'empty' }, 'No failed or slow requests recently.')];
  const rows = recent.map((r) =>
    el(
      'tr',
      { class: `recent-${r.kind}`, 'data-request-id': r.requestId },
      el('td', {}, timeEl(r.at, nowMs)),
      el('td', {}, el('span', { class: `badge badge-${r.kind}` }, r.kind)),
      el('td', {}, String(r.status)),
      el('td', {}, `${r.method} `, el('code', {}, r.url)),
      el('td', { class: 'num' }, `${r.ms} ms`),
      el('td', {}, el('code', { class: 'request-id' }, r.requestId)),
    ),
  );
  return [table('Recent errors and slow requests', ['When', 'Kind', 'Status', 'Request', 'Took', 'Request id'], rows)];
}

function draw(o) {
  const nowMs = Date.parse(o.generatedAt);
  document.getElementById('generated').replaceChildren(timeEl(o.generatedAt, Date.now()));
  const health = document.getElementById('health');
  health.replaceChildren(...renderHealth(o.health, nowMs));
  health.removeAttribute('aria-busy');
  const { totals, charts } = renderTraffic(o.traffic);
  document.getElementById('traffic-totals').replaceChildren(...totals);
  document.getElementById('traffic').replaceChildren(...charts);
  document.getElementById('queue').replaceChildren(...renderQueue(o.queue, nowMs));
  document.getElementById('backups').replaceChildren(...renderBackups(o.backups, nowMs));
  document.getElementById('schedule').replaceChildren(...renderSchedule(o.schedule, nowMs));
  document.getElementById('recent').replaceChildren(...renderRecent(o.recent, nowMs));
}

async function refresh() {
  if (busy) return;
  try {
    const o = await api('GET', '/api/ops/overview');
    // An action that started while this read was in flight redraws after itself; this older answer would undo it.
    if (busy) return;
    lastOverview = o;
    draw(o);
  } catch (err) {
    showError(err);
  }
}

function backupButton(id, body, label) {
  const button = document.getElementById(id);
  button.addEventListener('click', () =>
    act(
      button,
      () => api('POST', '/api/ops/backups', body),
      ({ jobId }) => `${label} queued as job ${jobId}: a worker runs it; it is listed here once committed.`,
    ),
  );
}

backupButton('backup-now', {}, 'Backup');
backupButton('backup-incremental', { incremental: true }, 'Incremental backup');
document.getElementById('refresh').addEventListener('click', () => void refresh());

// No reads while the tab is hidden; coming back to a stale page reads at once.
window.setInterval(() => {
  if (!document.hidden) void refresh();
}, REFRESH_MS);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && lastOverview && Date.now() - Date.parse(lastOverview.generatedAt) > REFRESH_MS) {
    void refresh();
  }
});

void refresh();
