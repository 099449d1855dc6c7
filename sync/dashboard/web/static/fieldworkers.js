// Fieldworkers: per fieldworker and per fieldworker and day, and the flags (each links to the
// interviews behind it): too fast (interview length, and median time per question from
// paradata), answers changed unusually often, outside the case-study area, no position fix.
import { api, el, frame, table, replace, duration } from './common.js';

const content = document.getElementById('content');
const params = new URLSearchParams(location.search);

async function draw() {
  const tooFast = Number(params.get('tooFast') || 300);
  const perQuestion = Number(params.get('questionSeconds') || 2);
  const manyChanges = Number(params.get('manyChanges') || 20);
  const thresholds = 'tooFast=' + tooFast + '&questionSeconds=' + perQuestion + '&manyChanges=' + manyChanges;
  const one = params.get('fieldworker'); // one fieldworker: their days get a median length too
  const f = await api('/fieldworkers?' + thresholds + (one ? '&fieldworker=' + encodeURIComponent(one) : ''));
  const number = (id, name, label, value, extra) => el('div', {}, el('label', { for: id }, label),
    el('input', { id, name, type: 'number', value, ...extra }));
  const form = el('form', { method: 'get' }, el('div', { class: 'row' },
    number('too-fast', 'tooFast', 'Too fast: interview shorter than (seconds)', tooFast, { min: 1 }),
    number('question-seconds', 'questionSeconds', 'or median question shorter than (seconds)', perQuestion, { min: 0.1, step: 0.1 }),
    number('many-changes', 'manyChanges', 'Answers changed often: more than (changes)', manyChanges, { min: 1 }),
    one ? el('input', { type: 'hidden', name: 'fieldworker', value: one }) : null,
    el('div', {}, el('button', { type: 'submit' }, 'Apply'))));
  const link = (fw, extra, text, label) => el('a', { href: '/interviews.html?fieldworker=' + encodeURIComponent(fw) + extra,
    'aria-label': label ? `${label}: ${text}, ${fw}` : null }, String(text));
  // A flag's count links to its interviews; 0 is plain text (nothing behind it).
  const flags = {
    tooFast: ['too fast (length)', '&flag=too_fast&tooFast=' + tooFast],
    manyChanges: ['answers changed often', '&flag=many_changes&manyChanges=' + manyChanges],
    outsideArea: ['outside the area', '&flag=outside_area'],
    noFix: ['no position fix', '&flag=no_fix'],
  };
  const flag = (r, name, day) => {
    const n = r[name];
    if (n === null || n === undefined) return el('span', { class: 'muted' }, '–');
    return n ? link(r.fieldworker, (day ? '&day=' + day : '') + flags[name][1], n, flags[name][0]) : '0';
  };
  const seconds = s => s === null || s === undefined ? '–' : s.toFixed(1) + ' s';
  replace(content, form,
    table(['Fieldworker', 'Interviews', 'Median length', 'Too fast (length)', 'Median per question', 'Too fast (per question)',
      'Answers changed often', 'Outside area', 'No fix'],
      f.fieldworkers.map(r => [link(r.fieldworker, '', r.fieldworker), r.interviews, duration(r.medianSeconds),
        flag(r, 'tooFast'), seconds(r.questionMedianSeconds),
        r.fastQuestions ? link(r.fieldworker, '&flag=fast_questions&questionSeconds=' + perQuestion, r.fastQuestions, 'too fast (per question)') : '0',
        flag(r, 'manyChanges'),
        r.outsideArea === null ? el('span', { class: 'muted' }, 'no area') : flag(r, 'outsideArea'), flag(r, 'noFix')]),
      [1, 2, 3, 4, 5, 6, 7, 8]),
    el('p', { class: 'muted' }, 'Per question: each page’s time on screen (paradata) split over its questions; ' +
      'an interview is flagged when its median question took less than the threshold. ' +
      'Answers changed: a question answered again with another value (paradata).'),
    el('h2', {}, 'By day'),
    table(['Fieldworker', 'Day', 'Complete', 'Refusals', 'Approaches', 'Median length', 'Too fast', 'Answers changed often',
      'Outside area', 'No fix'],
      f.days.map(d => [one ? d.fieldworker : el('a', { href: '/fieldworkers.html?' + thresholds + '&fieldworker=' +
        encodeURIComponent(d.fieldworker), 'aria-label': 'Days of ' + d.fieldworker + ' with median lengths' }, d.fieldworker), link(d.fieldworker, '&day=' + d.day, d.day || 'no date'), d.complete, d.refused, d.approaches,
        duration(d.medianSeconds), flag(d, 'tooFast', d.day), flag(d, 'manyChanges', d.day),
        d.outsideArea === null ? el('span', { class: 'muted' }, 'no area') : flag(d, 'outsideArea', d.day), flag(d, 'noFix', d.day)]),
      [2, 3, 4, 5, 6, 7, 8, 9]),
    one ? el('p', {}, el('a', { href: '/fieldworkers.html?' + thresholds }, 'All fieldworkers'))
      : el('p', { class: 'muted' }, 'Median length per day: choose a fieldworker’s name in this table.'));
}

if (await frame('Fieldworkers')) await draw();
