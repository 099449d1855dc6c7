// Exports: choose case studies, formats and options. "Export" starts the export on the
// collector and shows its progress (polled every second), then downloads the zip; the direct
// link streams the same zip in one request, without progress.
import { api, el, frame, replace } from './common.js';

const content = document.getElementById('content');

async function draw() {
  const o = await api('/overview');
  const boxes = o.caseStudies.map(c => el('label', { class: 'pill' }, el('input', { type: 'checkbox', value: c.id, checked: true, name: 'cs' }), ' ' + c.name));
  const formats = ['csv', 'sav', 'dta', 'jsonl'].map(f => el('label', { class: 'pill' }, el('input', { type: 'checkbox', value: f, checked: f === 'csv', name: 'format' }), ' ' + f));
  const approved = el('input', { type: 'checkbox', id: 'approved-only' });
  const long = el('input', { type: 'checkbox', id: 'long' });
  const link = el('a', { id: 'export-link', href: '#' }, 'direct download (no progress)');
  const bar = el('progress', { id: 'export-bar', class: 'progress', max: 100, value: 0, 'aria-labelledby': 'export-progress' });
  const progress = el('p', { id: 'export-progress', 'aria-live': 'polite' }, 'No export running.');
  let query = '';
  const update = () => {
    const cs = boxes.map(b => b.querySelector('input')).filter(i => i.checked).map(i => i.value);
    const fm = formats.map(b => b.querySelector('input')).filter(i => i.checked).map(i => i.value);
    query = '?caseStudy=' + encodeURIComponent(cs.join(',')) + '&format=' + encodeURIComponent(fm.join(','))
      + (approved.checked ? '&approvedOnly=1' : '') + (long.checked ? '&long=1' : '');
    link.href = '/api/v1/export.zip' + query;
  };
  const start = el('button', { type: 'button', id: 'export-start', onclick: async () => {
    start.disabled = true;
    try {
      const job = await api('/exports' + query, { method: 'POST', body: {} });
      progress.textContent = `Exporting ${job.expectedRows} interviews…`;
      for (;;) {
        await new Promise(r => setTimeout(r, 1000));
        const p = await api('/exports/' + job.id);
        bar.value = Math.round(100 * p.fraction);
        if (p.state === 'failed') { progress.textContent = 'The export failed: ' + p.error; progress.className = 'error'; break; }
        if (p.state === 'done') {
          const size = p.zipBytes < 1048576 ? Math.ceil(p.zipBytes / 1024) + ' kB' : (p.zipBytes / 1048576).toFixed(1) + ' MB';
          progress.textContent = `Done: ${size}; downloading.`;
          progress.className = 'ok';
          progress.dataset.done = job.id;
          location.href = '/api/v1/exports/' + job.id + '/zip';
          break;
        }
        progress.className = '';
        progress.textContent = p.state === 'zipping' ? 'Zipping…'
          : `${p.phase || 'starting'}: ${p.rows} of ${p.expectedRows} rows` + (p.passes > 1 ? ` (pass ${p.phase === 'writing' ? 2 : 1} of 2)` : '');
      }
    } catch (err) { progress.textContent = err.message; progress.className = 'error'; }
    start.disabled = false;
  } }, 'Export');
  replace(content, el('fieldset', {}, el('legend', {}, 'Case studies'), boxes), el('fieldset', {}, el('legend', {}, 'Formats'), formats),
    el('p', {}, approved, el('label', { for: 'approved-only', class: 'pill' }, 'Approved interviews only')),
    el('p', {}, long, el('label', { for: 'long', class: 'pill' }, 'Long layout (one row per answer)')),
    el('p', {}, start, ' or ', link), bar, progress,
    el('p', { class: 'muted' }, 'The zip holds the data files, the codebook, contacts, summary.csv and manifest.json. Sensitive answers are left out.'));
  for (const i of content.querySelectorAll('input')) i.addEventListener('change', update);
  update();
}

if (await frame('Exports')) await draw();
