/* global document */
import { api, el, flash, formatDate, session, showError } from './common.js';

// User management (admins): every user with a role picker, and a form to add one.

const ROLES = ['author', 'editor', 'admin'];

function row(u, me) {
  const select = el(
    'select',
    { 'aria-label': `Role of ${u.email}`, disabled: u.id === me.id },
    ...ROLES.map((r) => el('option', { value: r, selected: r === u.role }, r)),
  );
  select.addEventListener('change', async () => {
    try {
      const updated = await api('PATCH', `/api/users/${u.id}`, { role: select.value });
      u.role = updated.role;
      flash(`${u.email} is now ${updated.role}.`, 'ok');
    } catch (err) {
      select.value = u.role;
      showError(err);
    }
  });
  return el(
    'tr',
    {},
    el('td', {}, u.name),
    el('td', {}, u.email),
    el('td', {}, select),
    el('td', {}, formatDate(u.createdAt)),
  );
}

async function load() {
  const { user } = await session();
  const { data } = await api('GET', '/api/users');
  document.querySelector('#users tbody').replaceChildren(...data.map((u) => row(u, user)));
}

document.getElementById('new-user').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const body = {
    email: form.elements.email.value.trim(),
    role: form.elements.role.value,
    password: form.elements.password.value,
  };
  const name = form.elements.name.value.trim();
  if (name) body.name = name;
  try {
    const created = await api('POST', '/api/users', body);
    form.reset();
    flash(`Added ${created.email}.`, 'ok');
    await load();
  } catch (err) {
    showError(err);
  }
});

load().catch(showError);
