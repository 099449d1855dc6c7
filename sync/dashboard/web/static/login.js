import { api } from './common.js';

const login = document.getElementById('login');
const change = document.getElementById('change');
const message = document.getElementById('message');

function showChange() { login.hidden = true; change.hidden = false; document.getElementById('current').focus(); }

login.addEventListener('submit', async (e) => {
  e.preventDefault();
  message.textContent = '';
  try {
    const r = await api('/login', { method: 'POST', body: {
      name: document.getElementById('name').value, password: document.getElementById('password').value } });
    if (r.mustChange) { window.csrfForChange = r.csrf; showChange(); return; }
    location.href = '/overview.html';
  } catch (err) {
    message.className = 'error';
    message.textContent = err.message;
  }
});

change.addEventListener('submit', async (e) => {
  e.preventDefault();
  const m = document.getElementById('change-message');
  try {
    const s = await api('/session');
    const r = await fetch('/api/v1/password', { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Kerbside-CSRF': s.csrf },
      body: JSON.stringify({ current: document.getElementById('current').value, password: document.getElementById('new').value }) });
    const data = await r.json();
    if (!r.ok) throw new Error(data.error);
    location.href = '/overview.html';
  } catch (err) { m.className = 'error'; m.textContent = err.message; }
});

if (location.hash === '#change') showChange();
