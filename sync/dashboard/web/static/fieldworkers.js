// Fieldworkers: per fieldworker and day, and the flags (each links to its interviews): too
// fast (interview length, and median time per question from paradata), answers changed
// unusually often, outside the case-study area.
import { api, el, frame, table, replace } from './common.js';

const content = document.getElementById('content');
const params = new URLSearchParams(location.search);

async function draw() {
  const tooFast = Number(params.get('tooFast') || 300);
  const perQuestion = Number(params.get('questionSeconds') || 2);
  const f = await api('/fieldworkers?tooFast=' + tooFast + '&questionSeconds=' + perQuestion);
  const input = el('input', { id: 'too-fast', name: 'tooFast', type: 'number', min: 1, value: tooFast });
  const qInput = el('input', { id: 'question-seconds', name: 'questionSeconds', type: 'number', min: 0.1, step: 0.1, value: perQuestion });
  const form = el('form', { method: 'get' }, el('div', { class: 'row' },
    el('div', {}, el('label', { for: 'too-fast' }, 'Too fast: interview shorter than (seconds)'), input),
    el('div', {}, el('label', { for: 'question-seconds' }, 'or median question shorter than (seconds)'), qInput),
    el('div', {}, el('button', { type: 'submit' }, 'Apply'))));
  const link = (fw, extra, text) => el('a', { href: '/interviews.html?fieldworker=' + encodeURIComponent(fw) + extra }, String(text));
  const flag = (fw, n, extra) => n ? link(fw, extra, n) : '0';
  const seconds = s => s === null || s === undefined ? '–' : s.toFixed(1) + ' s';
  replace(content, form,
    table(['Fieldworker', 'Interviews', 'Median length', 'Too fast (length)', 'Median per question', 'Too fast (per question)',
      'Answers changed often', 'Outside area'],
      f.fieldworkers.map(r => [link(r.fieldworker, '', r.fieldworker), r.interviews, Math.round(r.medianSeconds / 60) + ' min',
        flag(r.fieldworker, r.tooFast, '&flag=too_fast&tooFast=' + tooFast), seconds(r.questionMedianSeconds),
        flag(r.fieldworker, r.fastQuestions, '&flag=fast_questions&questionSeconds=' + perQuestion), r.manyChanges,
        r.outsideArea === null ? el('span', { class: 'muted' }, 'no area or fix') : flag(r.fieldworker, r.outsideArea, '&flag=outside_area')]),
      [1, 2, 3, 4, 5, 6, 7]),
    el('p', { class: 'muted' }, 'Per question: each page’s time on screen (paradata) split over its questions; ' +
      'an interview is flagged when its median question took less than the threshold.'),
    el('h2', {}, 'By day'),
    table(['Fieldworker', 'Day', 'Complete', 'Refusals', 'Approaches'],
      f.days.map(d => [d.fieldworker, link(d.fieldworker, '&day=' + d.day, d.day || 'no date'), d.complete, d.refused, d.approaches]), [2, 3, 4]));
}

if (await frame('Fieldworkers')) await draw();
