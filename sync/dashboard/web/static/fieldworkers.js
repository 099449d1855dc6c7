// Fieldworkers: per fieldworker and day, and the flags (each links to its interviews).
import { api, el, frame, table, replace } from './common.js';

const content = document.getElementById('content');
const params = new URLSearchParams(location.search);

async function draw() {
  const tooFast = Number(params.get('tooFast') || 300);
  const f = await api('/fieldworkers?tooFast=' + tooFast);
  const input = el('input', { id: 'too-fast', name: 'tooFast', type: 'number', min: 1, value: tooFast });
  const form = el('form', { method: 'get' }, el('div', { class: 'row' },
    el('div', {}, el('label', { for: 'too-fast' }, 'Too fast: shorter than (seconds)'), input),
    el('div', {}, el('button', { type: 'submit' }, 'Apply'))));
  const link = (fw, extra, text) => el('a', { href: '/interviews.html?fieldworker=' + encodeURIComponent(fw) + extra }, String(text));
  replace(content, form,
    table(['Fieldworker', 'Interviews', 'Median length', 'Too fast', 'Answers changed often', 'Outside area'],
      f.fieldworkers.map(r => [link(r.fieldworker, '', r.fieldworker), r.interviews, Math.round(r.medianSeconds / 60) + ' min',
        r.tooFast ? link(r.fieldworker, '&flag=too_fast&tooFast=' + tooFast, r.tooFast) : '0', r.manyChanges,
        r.outsideArea === null ? 'needs an area' : r.outsideArea]), [1, 2, 3, 4]),
    el('h2', {}, 'By day'),
    table(['Fieldworker', 'Day', 'Complete', 'Refusals', 'Approaches'],
      f.days.map(d => [d.fieldworker, link(d.fieldworker, '&day=' + d.day, d.day || 'no date'), d.complete, d.refused, d.approaches]), [2, 3, 4]));
}

if (await frame('Fieldworkers')) await draw();
