// Forms: upload an XLSForm or a Kerbside JSON form, see every problem, publish a version, see
// the versions in use on tablets.
import { api, el, frame, when, table, replace, me } from './common.js';

const content = document.getElementById('content');

async function draw(shown) {
  const [f, o, d] = await Promise.all([api('/forms'), api('/overview'), api('/devices')]);
  // Versions in use: the tablets whose synced interviews were recorded with each version.
  const inUse = (x) => d.devices.filter(t => t.forms.includes(x.form + ' ' + x.version)).length;
  const file = el('input', { id: 'form-file', type: 'file', accept: '.xlsx,.json' });
  const boxes = o.caseStudies.map(c => el('label', { class: 'pill' }, el('input', { type: 'checkbox', value: c.id, name: 'cs' }), ' ' + c.name));
  const result = el('div', { id: 'form-result', 'aria-live': 'polite' }, shown || null);
  const send = async (publish) => {
    if (!file.files.length) { replace(result, el('p', { class: 'error' }, 'Choose a file first.')); return; }
    const chosen = boxes.map(b => b.querySelector('input')).filter(i => i.checked).map(i => i.value);
    if (publish && !chosen.length) { replace(result, el('p', { class: 'error' }, 'Choose the case studies to publish to.')); return; }
    const q = '?filename=' + encodeURIComponent(file.files[0].name) + (publish ? '&publish=' + encodeURIComponent(chosen.join(',')) : '');
    try {
      const r = await api('/forms' + q, { method: 'POST', body: await file.files[0].arrayBuffer(), raw: true });
      const ok = el('p', { class: 'ok', id: 'form-ok' }, `${r.form} version ${r.version}: ${r.questions} questions, no problems. ` +
        (r.stored ? 'Published to ' + r.publishedTo.join(', ') + '.' : 'Not stored yet: publish it.'));
      if (r.stored) await draw(ok); else replace(result, ok);
    } catch (err) {
      const problems = (err.data && err.data.problems) || [];
      replace(result, el('p', { class: 'error', id: 'form-problems' }, problems.length ? problems.length + ' problem(s); nothing was stored.' : err.message),
        problems.length ? table(['Sheet', 'Row', 'Column', 'Problem'], problems.map(p => [p.sheet || p.path, p.row || '', p.column, p.message])) : null);
    }
  };
  const upload = me.role === 'coordinator' ? el('section', { class: 'card' }, el('h2', {}, 'Upload a form'),
    el('label', { for: 'form-file' }, 'XLSForm (.xlsx) or Kerbside form (.json)'), file,
    el('fieldset', {}, el('legend', {}, 'Publish to'), boxes),
    el('div', { class: 'row' }, el('button', { type: 'button', id: 'form-check', class: 'secondary', onclick: () => send(false) }, 'Check'),
      el('button', { type: 'button', id: 'form-publish', onclick: () => send(true) }, 'Publish')), result) : null;
  replace(content, upload, el('h2', {}, 'Published versions'),
    table(['Form', 'Version', 'Title', 'Case studies', 'Published', 'In use on tablets'], f.forms.map(x => [x.form, x.version, x.title,
      x.caseStudies.join(', '), when(x.published), el('span', { 'data-in-use': x.form + ' ' + x.version }, String(inUse(x)))]), [5]),
    el('p', { class: 'muted' }, 'In use: tablets that synced interviews recorded with that version (the Tablets page lists them).'));
}

if (await frame('Forms')) await draw();
