// Overview: per case study, from the counters kept at merge; refreshed every 5 s.
import { api, el, frame, pct, ago, table, replace } from './common.js';

const content = document.getElementById('content');

function numbers(t) {
  return [t.complete, t.partial, t.refused, t.screenedOut, t.approaches, pct(t.rr1), pct(t.coop1)];
}

async function draw() {
  const o = await api('/overview');
  const cards = o.caseStudies.map(c => el('section', { class: 'card', 'aria-labelledby': 'cs-' + c.id },
    el('h2', { id: 'cs-' + c.id }, el('a', { href: '/casestudy.html?id=' + encodeURIComponent(c.id) }, c.name)),
    el('p', {}, el('span', { class: 'big', 'data-complete': c.id }, String(c.complete)), ' complete',
      c.target ? ' of ' + c.target : ''),
    c.target ? el('div', { class: 'bar', role: 'img', 'aria-label': 'complete against target' },
      el('span', { style: null, 'data-width': Math.min(100, 100 * c.complete / c.target) })) : null,
    el('p', {}, `${c.refused} refusals · ${c.partial} partial · ${c.screenedOut} screened out (quota full)`),
    el('p', {}, `RR1 ${pct(c.rr1)} · COOP1 ${pct(c.coop1)}`),
    el('p', { class: 'muted' }, c.tablets.length + ' tablet(s); last sync ' +
      ago(c.tablets.map(t => t.lastSync).filter(Boolean).sort().pop()))));
  const rows = o.caseStudies.map(c => [el('a', { href: '/casestudy.html?id=' + encodeURIComponent(c.id) }, c.name), ...numbers(c)]);
  rows.push([el('strong', {}, 'All case studies'), ...numbers(o.total)]);
  replace(content,
    el('p', { class: 'muted', id: 'updated' }, 'Updated ' + new Date(o.generated).toLocaleTimeString() + ' (refreshes every 5 s)'),
    el('div', { class: 'cards' }, cards),
    el('h2', {}, 'Totals'),
    table(['Case study', 'Complete', 'Partial', 'Refusals', 'Screened out', 'Approaches', 'RR1', 'COOP1'], rows, [1, 2, 3, 4, 5, 6, 7]));
  // Bars: widths set from script (CSP forbids inline style attributes).
  for (const s of content.querySelectorAll('[data-width]')) s.style.width = s.dataset.width + '%';
}

if (await frame('Overview')) {
  await draw();
  setInterval(() => draw().catch(() => {}), 5000);
}
