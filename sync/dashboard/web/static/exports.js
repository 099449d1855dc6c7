// Exports: choose case studies, formats and options; the collector streams one zip.
import { api, el, frame, replace } from './common.js';

const content = document.getElementById('content');

async function draw() {
  const o = await api('/overview');
  const boxes = o.caseStudies.map(c => el('label', { class: 'pill' }, el('input', { type: 'checkbox', value: c.id, checked: true, name: 'cs' }), ' ' + c.name));
  const formats = ['csv', 'sav', 'dta', 'jsonl'].map(f => el('label', { class: 'pill' }, el('input', { type: 'checkbox', value: f, checked: f === 'csv', name: 'format' }), ' ' + f));
  const approved = el('input', { type: 'checkbox', id: 'approved-only' });
  const long = el('input', { type: 'checkbox', id: 'long' });
  const link = el('a', { class: 'button', id: 'export-link', href: '#' }, 'Download zip');
  const progress = el('p', { id: 'export-progress', 'aria-live': 'polite' });
  const update = () => {
    const cs = boxes.map(b => b.querySelector('input')).filter(i => i.checked).map(i => i.value);
    const fm = formats.map(b => b.querySelector('input')).filter(i => i.checked).map(i => i.value);
    link.href = '/api/v1/export.zip?caseStudy=' + encodeURIComponent(cs.join(',')) + '&format=' + encodeURIComponent(fm.join(','))
      + (approved.checked ? '&approvedOnly=1' : '') + (long.checked ? '&long=1' : '');
  };
  for (const i of content.ownerDocument.querySelectorAll('input')) i.addEventListener('change', update);
  replace(content, el('fieldset', {}, el('legend', {}, 'Case studies'), boxes), el('fieldset', {}, el('legend', {}, 'Formats'), formats),
    el('p', {}, approved, el('label', { for: 'approved-only', class: 'pill' }, 'Approved interviews only')),
    el('p', {}, long, el('label', { for: 'long', class: 'pill' }, 'Long layout (one row per answer)')),
    el('p', {}, link), progress,
    el('p', { class: 'muted' }, 'The zip holds the data files, the codebook, contacts, summary.csv and manifest.json. Sensitive answers are left out.'));
  for (const i of content.querySelectorAll('input')) i.addEventListener('change', update);
  update();
}

if (await frame('Exports')) await draw();
