// Conflicts: both versions side by side; the coordinator chooses the current one.
import { api, el, frame, when, table, replace, statusLine, me } from './common.js';

const content = document.getElementById('content');

function side(title, answers, differences) {
  return el('div', { class: 'answers' }, el('h3', {}, title), table(['Question', 'Answer'],
    Object.entries(answers || {}).map(([q, v]) => [differences.includes(q) ? el('strong', {}, q + ' (differs)') : q,
      v === null ? el('em', {}, 'hidden (sensitive)') : v])));
}

async function draw() {
  const c = await api('/conflicts');
  const message = el('p', { 'aria-live': 'polite', id: 'conflict-message' });
  const choose = (id, which) => async () => {
    try { await api('/conflicts/' + id + '/resolve', { method: 'POST', body: { choose: which } }); statusLine(message, 'Resolved.', false); await draw(); }
    catch (err) { statusLine(message, err.message, true); }
  };
  replace(content, message, c.conflicts.length ? null : el('p', {}, 'No open conflicts.'),
    c.conflicts.map(x => el('section', { class: 'card', 'data-conflict': x.id }, el('h2', {}, `${x.kind} ${x.uuid.slice(0, 8)} · ${x.caseStudy} · revision ${x.revision}`),
      el('p', { class: 'muted' }, 'Detected ' + when(x.detected) + '; differs in: ' + x.differences.join(', ')),
      el('div', { class: 'side' }, side('Current (from ' + x.keptDevice + ')', x.kept, x.differences), side('Other (from ' + x.otherDevice + ')', x.other, x.differences)),
      me.role === 'coordinator' ? el('div', { class: 'row' },
        el('button', { type: 'button', class: 'secondary', 'data-keep': x.id, onclick: choose(x.id, 'kept') }, 'Keep the current one'),
        el('button', { type: 'button', 'data-other': x.id, onclick: choose(x.id, 'other') }, 'Make the other one current')) : null)),
    el('h2', {}, 'Resolved'),
    c.resolved.length ? table(['Conflict', 'Case study', 'Chosen', 'By', 'When'], c.resolved.map(r => [
      r.kind === 'response' ? el('a', { href: '/interview.html?uuid=' + encodeURIComponent(r.uuid) }, `${r.kind} ${r.uuid.slice(0, 8)}`)
        : `${r.kind} ${r.uuid.slice(0, 8)}`,
      r.caseStudy, r.chosen === 'other' ? 'the other version' : 'the version kept at merge', r.by, when(r.resolved)]))
      : el('p', { class: 'muted' }, 'None yet. Both versions stay stored whichever is chosen.'));
}

if (await frame('Conflicts')) await draw();
