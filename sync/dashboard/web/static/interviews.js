// Interviews: a filterable list (case study, fieldworker, status, review, flag, day), with
// where each was against the case-study area.
import { api, el, frame, when, table, replace, duration } from './common.js';

const content = document.getElementById('content');
const params = new URLSearchParams(location.search);

const placeText = { inside: 'inside', outside: 'outside the area', unknown: 'no fix or no area' };

function field(id, label, input) { return el('div', {}, el('label', { for: id }, label), input); }

async function draw() {
  const o = await api('/overview');
  const cs = el('select', { id: 'f-cs', name: 'caseStudy' }, el('option', { value: '' }, 'all'),
    o.caseStudies.map(c => el('option', { value: c.id, selected: params.get('caseStudy') === c.id }, c.name)));
  const fw = el('input', { id: 'f-fw', name: 'fieldworker', value: params.get('fieldworker') || '' });
  const st = el('select', { id: 'f-status', name: 'status' }, ['', 'complete', 'partial', 'refused', 'screened_out', 'draft']
    .map(s => el('option', { value: s, selected: (params.get('status') || '') === s }, s || 'all')));
  const rv = el('select', { id: 'f-review', name: 'review' }, ['', 'none', 'approved', 'has_issues', 'rejected']
    .map(s => el('option', { value: s, selected: (params.get('review') || '') === s }, s || 'all')));
  const fl = el('select', { id: 'f-flag', name: 'flag' }, Object.entries({ '': 'none', too_fast: 'too fast (length)', fast_questions: 'too fast (per question)',
    many_changes: 'answers changed often', outside_area: 'outside the area', no_fix: 'no position fix' }).map(([s, t]) => el('option', { value: s, selected: (params.get('flag') || '') === s }, t)));
  const day = el('input', { id: 'f-day', name: 'day', type: 'date', value: params.get('day') || '' });
  const form = el('form', { method: 'get', action: '/interviews.html' },
    el('div', { class: 'row' }, field('f-cs', 'Case study', cs), field('f-fw', 'Fieldworker', fw), field('f-status', 'Status', st),
      field('f-review', 'Review', rv), field('f-flag', 'Flag', fl), field('f-day', 'Day', day),
      el('div', {}, el('button', { type: 'submit' }, 'Filter'))));
  const q = new URLSearchParams();
  for (const [k, v] of params) if (v) q.set(k, v);
  const list = await api('/interviews?' + q.toString());
  const rows = list.interviews.map(i => [
    el('a', { href: '/interview.html?uuid=' + encodeURIComponent(i.uuid) }, i.uuid.slice(0, 8)),
    i.caseStudy, i.fieldworker, i.status, when(i.started),
    duration(i.seconds), placeText[i.place] || i.place, i.review || '–']);
  replace(content, form, el('p', { class: 'muted' }, list.interviews.length + ' shown'),
    table(['Interview', 'Case study', 'Fieldworker', 'Status', 'Started', 'Length', 'Area', 'Review'], rows));
}

if (await frame('Interviews')) await draw();
