/* global document, window, fetch */
// The login form: POST /api/auth/login sets the session cookie; then on to where the user was going.

const form = document.getElementById('login-form');
const flash = document.getElementById('flash');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  flash.hidden = true;
  const email = form.elements.email.value.trim();
  const password = form.elements.password.value;
  if (email === '' || password === '') {
    show('Enter your email and password.');
    return;
  }
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
      credentials: 'same-origin',
    });
    if (res.ok) {
      window.location.assign(form.dataset.next || '/admin');
      return;
    }
    const body = await res.json().catch(() => undefined);
    show(body && body.error ? body.error.message : `Sign-in failed (${res.status}).`);
    form.elements.password.value = '';
    form.elements.password.focus();
  } catch {
    show('The server could not be reached.');
  } finally {
    button.disabled = false;
  }
});

function show(message) {
  flash.textContent = message;
  flash.className = 'flash flash-error';
  flash.hidden = false;
}
