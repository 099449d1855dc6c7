// Tablets: enrol (code and expiry on screen), revoke, last sync, app and form versions, and
// completes waiting on the tablet as it last reported them.
import { api, el, frame, when, ago, table, replace, statusLine, me } from './common.js';

const content = document.getElementById('content');

async function draw() {
  const [d, o] = await Promise.all([api('/devices'), api('/overview')]);
  const coordinator = me.role === 'coordinator';
  const select = el('select', { id: 'enrol-cs' }, o.caseStudies.map(c => el('option', { value: c.id }, c.name)));
  const hours = el('input', { id: 'enrol-hours', type: 'number', min: 1, max: 2160, value: 168 });
  const result = el('div', { id: 'enrol-result', 'aria-live': 'polite' });
  const enrolForm = el('form', { class: 'card', id: 'enrol', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const r = await api('/enrolments', { method: 'POST', body: { caseStudy: select.value, hours: Number(hours.value) } });
      replace(result, el('p', {}, 'Type this code on the tablet:'), el('p', { class: 'code', id: 'enrol-code' }, r.code),
        el('p', {}, 'For ' + r.caseStudy + '; single use; expires ' + when(r.expires) + '.'));
    } catch (err) { replace(result, el('p', { class: 'error' }, err.message)); }
  } }, el('h2', {}, 'Enrol a tablet'),
    el('div', { class: 'row' }, el('div', {}, el('label', { for: 'enrol-cs' }, 'Case study'), select),
      el('div', {}, el('label', { for: 'enrol-hours' }, 'Code valid for (hours)'), hours),
      el('div', {}, el('button', { type: 'submit' }, 'Make enrolment code'))), result);
  const message = el('p', { 'aria-live': 'polite' });
  const rows = d.devices.map(t => [t.label || t.id, t.id, t.caseStudies.join(', '), ago(t.lastSync), String(t.responses),
    t.pending === null ? el('span', { class: 'muted' }, 'not reported')
      : [el('span', { 'data-pending': t.id }, String(t.pending)),
        t.pendingReported ? el('span', { class: 'muted' }, ' as of ' + ago(t.pendingReported)) : null],
    String(t.missingBatches), t.appVersion || '–', t.forms.length ? t.forms.join(', ') : '–', t.revoked ? 'revoked ' + when(t.revoked) : 'active',
    t.revoked || !coordinator ? '' : el('button', { class: 'danger', type: 'button', 'data-revoke': t.id,
      'aria-label': 'Revoke ' + (t.label || t.id), onclick: async () => {
        if (!confirm('Revoke ' + (t.label || t.id) + '? It will not sync again.')) return;
        try { await api('/devices/' + encodeURIComponent(t.id) + '/revoke', { method: 'POST', body: {} }); await draw(); }
        catch (err) { statusLine(message, err.message, true); }
      } }, 'Revoke')]);
  replace(content, coordinator ? enrolForm : el('p', { class: 'muted' }, 'Analysts can see tablets but not enrol or revoke them.'),
    el('h2', {}, 'Tablets'), message,
    table(['Tablet', 'Id', 'Case studies', 'Last sync', 'Interviews', 'Pending (reported)', 'Missing batches', 'App',
      'Forms', 'State', ''], rows, [4, 5, 6]));
}

if (await frame('Tablets')) await draw();
