// Shared by every page: the API client (CSRF header on every change), the page frame and
// el(), which builds DOM with textContent only, so nothing typed by anyone is parsed as HTML.
let csrf = '';
export let me = null;

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export async function api(path, { method = 'GET', body, raw } = {}) {
  const headers = {};
  if (method !== 'GET') headers['X-Kerbside-CSRF'] = csrf;
  if (body !== undefined && !raw) headers['Content-Type'] = 'application/json';
  const r = await fetch('/api/v1' + path, { method, headers, credentials: 'same-origin',
    body: raw ? body : body === undefined ? undefined : JSON.stringify(body) });
  if (r.status === 401 && path !== '/login') { location.href = '/'; throw new Error('signed out'); }
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) { const err = new Error((data && data.error) || ('HTTP ' + r.status)); err.status = r.status; err.data = data; throw err; }
  return data;
}

export function when(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toISOString().slice(0, 16).replace('T', ' ') + 'Z';
}

export function ago(iso) {
  if (!iso) return 'never';
  const s = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 90) return Math.round(s) + ' s ago';
  if (s < 5400) return Math.round(s / 60) + ' min ago';
  if (s < 172800) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' days ago';
}

// An interview's length: seconds under two minutes (a too-fast one must not read "0 min").
export function duration(s) {
  if (s === null || s === undefined) return '–';
  return s < 120 ? Math.round(s) + ' s' : Math.round(s / 60) + ' min';
}

// "1 refusal", "2 refusals".
export function counted(n, one, many = one + 's') { return n + ' ' + (n === 1 ? one : many); }

export function pct(x) { return x === null || x === undefined ? '–' : (100 * x).toFixed(1) + '\u00a0%' /* never "93.9" and "%" on two lines */; }

const pages = [
  ['/overview.html', 'Overview'], ['/fieldworkers.html', 'Fieldworkers'], ['/interviews.html', 'Interviews'],
  ['/tablets.html', 'Tablets'], ['/forms.html', 'Forms'], ['/conflicts.html', 'Conflicts'], ['/exports.html', 'Exports'],
];

// Signs the page in (or sends it to the login page) and draws the header.
export async function frame(current) {
  me = await api('/session');
  csrf = me.csrf;
  if (me.mustChange && current !== 'password') { location.href = '/login.html#change'; return null; }
  const nav = el('nav', { 'aria-label': 'Pages' }, pages.map(([href, name]) =>
    el('a', { href, 'aria-current': location.pathname === href || (current === name) ? 'page' : null }, name)));
  const out = el('button', { class: 'secondary', type: 'button', onclick: async () => {
    await api('/logout', { method: 'POST', body: {} }); location.href = '/'; } }, 'Sign out');
  const header = el('header', {}, el('a', { class: 'skip', href: '#main' }, 'Skip to content'),
    el('span', { class: 'brand' }, 'Kerbside'), nav,
    el('span', { class: 'who' }, el('span', {}, me.user + ' (' + me.role + ')'), out));
  document.body.prepend(header);
  return me;
}

// A table in a box that scrolls sideways on narrow screens: focusable, so the keyboard can
// scroll it too, and named by its first columns for screen readers.
export function table(headings, rows, numeric = []) {
  return el('div', { class: 'table-wrap', tabindex: 0, role: 'region',
    'aria-label': 'Table: ' + headings.filter(Boolean).slice(0, 3).join(', ') }, el('table', {},
    el('thead', {}, el('tr', {}, headings.map((h, i) => el('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null }, h)))),
    el('tbody', {}, rows.map(r => el('tr', {}, r.map((c, i) => el('td', { class: numeric.includes(i) ? 'num' : null }, c)))))));
}

export function replace(node, ...children) { node.replaceChildren(...children.flat()); }

export function statusLine(node, text, isError) {
  node.className = isError ? 'error' : 'ok';
  node.textContent = text;
}

// Sets the widths of bars drawn with data-width (CSP forbids inline style attributes).
export function sizeBars(root) {
  for (const s of root.querySelectorAll('[data-width]')) s.style.width = s.dataset.width + '%';
}

// One bar, `done` of `of`, with its numbers as text beside it for screen readers and print.
// `named` false: the label is beside it already (a table row), so only screen readers get it.
export function bar(done, of, label, named = true) {
  const p = of > 0 ? Math.min(100, 100 * done / of) : 0;
  return el('div', { class: named ? 'bar-row' : 'bar-row bare' },
    named ? el('span', { class: 'bar-label' }, label) : null,
    el('div', { class: 'bar', role: 'img', 'aria-label': `${label}: ${done} of ${of}` }, el('span', { 'data-width': p.toFixed(1) })),
    el('span', { class: 'num' }, `${done}/${of}`));
}

// The AAPOR rates as the exports' summary.csv has them (RR5 = RR1 for street intercepts).
export function rates(t) { return `AAPOR RR5 ${pct(t.rr5)} · COOP1 ${pct(t.coop1)}`; }
export const ratesNote = 'RR5 = I/(I+P+R+NC+O), equal to RR1 for street intercepts; COOP1 = I/(I+P+R+O); ' +
  'as in the export\'s summary.csv (see forms/README.md).';
