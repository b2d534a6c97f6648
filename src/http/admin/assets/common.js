/* global document, window, fetch, FormData, URLSearchParams */
// Shared by every admin page: the signed-in session (and its CSRF token), JSON API calls that surface the API's
// error message, a flash region, and a tiny element builder (text goes in as text, never as HTML).

let sessionPromise;

/** The signed-in user and CSRF token from GET /api/auth/session; signs out to the login page when there is none. */
export function session() {
  sessionPromise ??= fetch('/api/auth/session', { credentials: 'same-origin' }).then(async (res) => {
    if (res.status === 401) {
      toLogin();
      return new Promise(() => {});
    }
    if (!res.ok) throw await apiError(res);
    return res.json();
  });
  return sessionPromise;
}

function toLogin() {
  const next = window.location.pathname + window.location.search;
  window.location.assign(`/admin/login?next=${encodeURIComponent(next)}`);
}

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details ?? [];
  }
}

async function apiError(res) {
  let body;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const error = body && body.error;
  if (error && typeof error.message === 'string') {
    return new ApiError(res.status, error.code, error.message, error.details);
  }
  return new ApiError(res.status, 'http_' + res.status, `The server answered ${res.status} ${res.statusText}`);
}

/** Calls the JSON API; writes carry X-CSRF-Token. `body` may be a plain object (sent as JSON) or FormData. */
export async function api(method, path, body) {
  const headers = {};
  if (method !== 'GET') headers['x-csrf-token'] = (await session()).csrfToken ?? '';
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (res.status === 401 && path !== '/api/auth/login') {
    toLogin();
    return new Promise(() => {});
  }
  if (!res.ok) throw await apiError(res);
  if (res.status === 204) return null;
  return res.json();
}

/** Shows a message in the page's alert region (read out by screen readers). */
export function flash(message, kind = 'error') {
  const box = document.getElementById('flash');
  if (!box) return;
  box.textContent = message;
  box.className = `flash flash-${kind}`;
  box.hidden = false;
}

export function clearFlash() {
  const box = document.getElementById('flash');
  if (box) box.hidden = true;
}

/** Reports a failed call: the API's own message and, for validation errors, which fields. */
export function showError(err) {
  if (err instanceof ApiError) {
    const fields = err.details
      .map((d) => (d && typeof d === 'object' && 'path' in d ? `${String(d.path)}: ${String(d.message)}` : ''))
      .filter(Boolean);
    flash(fields.length > 0 ? `${err.message} (${fields.join('; ')})` : err.message);
  } else {
    flash(err instanceof Error ? err.message : String(err));
  }
}

/** Builds an element: attributes (on* are listeners, `text` is textContent), then children (strings become text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export function formatDate(iso) {
  return iso ? dateFormat.format(new Date(iso)) : '';
}

/** Previous/next links for a `{ page, pages }` meta, keeping the rest of the query string. */
export function renderPager(container, meta) {
  if (!container) return;
  container.replaceChildren();
  if (meta.pages <= 1) return;
  const link = (page, label) => {
    const params = new URLSearchParams(window.location.search);
    params.set('page', String(page));
    return el('a', { href: `?${params.toString()}`, rel: page < meta.page ? 'prev' : 'next' }, label);
  };
  if (meta.page > 1) container.append(link(meta.page - 1, '← Newer'));
  container.append(el('span', {}, ` Page ${meta.page} of ${meta.pages} `));
  if (meta.page < meta.pages) container.append(link(meta.page + 1, 'Older →'));
}

export function currentPage() {
  const page = Number(new URLSearchParams(window.location.search).get('page') ?? '1');
  return Number.isInteger(page) && page > 0 ? page : 1;
}

/** The sign-out button every signed-in page has. */
function wireSignOut() {
  const button = document.getElementById('sign-out');
  if (!button) return;
  button.addEventListener('click', async () => {
    try {
      await api('POST', '/api/auth/logout');
    } catch (err) {
      showError(err);
      return;
    }
    window.location.assign('/admin/login');
  });
}

wireSignOut();
