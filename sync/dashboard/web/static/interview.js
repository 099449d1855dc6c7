// One interview: answers in the form's order with labels, paradata, review buttons.
import { api, el, frame, when, table, replace, statusLine, me } from './common.js';

const uuid = new URLSearchParams(location.search).get('uuid') || '';
const content = document.getElementById('content');

async function draw() {
  const i = await api('/interviews/' + encodeURIComponent(uuid));
  const message = el('p', { id: 'review-message', 'aria-live': 'polite' });
  const comment = el('textarea', { id: 'review-comment', rows: 2, cols: 40 });
  const act = (state) => async () => {
    try { await api('/interviews/' + encodeURIComponent(uuid) + '/review', { method: 'POST', body: { state, comment: comment.value } }); await draw(); }
    catch (err) { statusLine(message, err.message, true); }
  };
  const review = me.role === 'coordinator' ? el('section', { class: 'card' }, el('h2', {}, 'Review'),
    el('label', { for: 'review-comment' }, 'Comment (needed for “has issues”)'), comment,
    el('div', { class: 'row' }, el('button', { type: 'button', id: 'approve', onclick: act('approved') }, 'Approve'),
      el('button', { type: 'button', id: 'issues', class: 'secondary', onclick: act('has_issues') }, 'Has issues'),
      el('button', { type: 'button', id: 'reject', class: 'danger', onclick: act('rejected') }, 'Reject')), message) : null;
  replace(content,
    el('p', {}, `${i.caseStudy} · ${i.form} v${i.formVersion} · ${i.fieldworker} · ${i.status} · started ${when(i.started)} · ended ${when(i.ended)}`),
    el('p', { id: 'review-state' }, 'Review: ' + (i.review ? i.review + (i.reviewComment ? ' – ' + i.reviewComment : '') + ' (' + i.reviewer + ')' : 'not reviewed')),
    el('p', {}, i.latitude === null ? 'No location fix.' : `Location ${i.latitude.toFixed(5)}, ${i.longitude.toFixed(5)}`),
    review,
    el('h2', {}, 'Answers'),
    el('div', { class: 'answers' }, table(['Question', 'Answer'], i.answers.map(a => [el('span', {}, a.label, el('br'), el('small', { class: 'muted' }, a.question)),
      a.value === null ? el('em', {}, 'hidden (sensitive)') : el('span', { class: 'answer' }, a.value)]))),
    el('h2', {}, 'Paradata'),
    table(['Time', 'Event', 'Question', 'Detail'], i.paradata.map(p => [when(p.time), p.kind, p.question, p.detail])));
}

if (await frame('Interviews')) await draw();
