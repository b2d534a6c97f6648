/* global document */
import { ApiError, api, clearFlash, flash, showError } from './common.js';

// Site settings (admins): the form over GET/PATCH /api/settings. The API decides what is valid; its field errors
// (details `{ path: '/postsPerPage', message }`) are shown next to their fields.

const FIELDS = ['title', 'description', 'postsPerPage', 'commentsOpen'];
const form = document.getElementById('settings');

function fill(settings) {
  form.elements.title.value = settings.title;
  form.elements.description.value = settings.description;
  form.elements.postsPerPage.value = String(settings.postsPerPage);
  form.elements.commentsOpen.checked = settings.commentsOpen;
}

function clearFieldErrors() {
  for (const name of FIELDS) {
    const slot = document.getElementById(`s-${name}-error`);
    slot.hidden = true;
    slot.textContent = '';
    form.elements[name].removeAttribute('aria-invalid');
  }
}

/** Puts each detail next to its field; returns whether every detail found one. */
function showFieldErrors(details) {
  let placed = 0;
  for (const d of details) {
    const name = d && typeof d.path === 'string' ? d.path.replace(/^\//, '') : '';
    if (!FIELDS.includes(name)) continue;
    const slot = document.getElementById(`s-${name}-error`);
    slot.textContent = String(d.message);
    slot.hidden = false;
    form.elements[name].setAttribute('aria-invalid', 'true');
    placed++;
  }
  return placed > 0 && placed === details.length;
}

/** Only what the admin changed is sent; a field that is not a number goes as typed, so the API says what is wrong. */
function patchOf(current) {
  const patch = {};
  const title = form.elements.title.value;
  if (title !== current.title) patch.title = title;
  const description = form.elements.description.value;
  if (description !== current.description) patch.description = description;
  const raw = form.elements.postsPerPage.value.trim();
  const perPage = raw === '' ? Number.NaN : Number(raw);
  if (perPage !== current.postsPerPage) patch.postsPerPage = Number.isFinite(perPage) ? perPage : raw;
  const open = form.elements.commentsOpen.checked;
  if (open !== current.commentsOpen) patch.commentsOpen = open;
  return patch;
}

async function main() {
  let current = await api('GET', '/api/settings');
  fill(current);
  form.removeAttribute('aria-busy');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFlash();
    clearFieldErrors();
    const patch = patchOf(current);
    if (Object.keys(patch).length === 0) {
      flash('Nothing changed.', 'info');
      return;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      current = await api('PATCH', '/api/settings', patch);
      fill(current);
      flash('Settings saved.', 'ok');
    } catch (err) {
      if (err instanceof ApiError && err.details.length > 0 && showFieldErrors(err.details)) {
        flash(`${err.message}: see the marked fields.`);
      } else {
        showError(err);
      }
    } finally {
      button.disabled = false;
    }
  });
}

main().catch(showError);
