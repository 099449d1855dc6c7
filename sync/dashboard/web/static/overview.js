// Overview: per case study, from the counters kept at merge; refreshed every 5 s.
import { api, el, frame, pct, ago, table, replace, bar, sizeBars, rates, ratesNote, counted } from './common.js';

const content = document.getElementById('content');

function numbers(t) {
  return [t.complete, t.target === null || t.target === undefined ? '–' : t.target, t.partial, t.refused, t.screenedOut,
    t.approaches, pct(t.rr5), pct(t.coop1)];
}

// The quota cells as bars, most needed first (the first eight; the case-study page has all).
function quotaBars(c) {
  if (!c.quota) return el('p', { class: 'muted' }, 'No quotas set.');
  const cells = c.quota.cells;
  return el('div', { class: 'quota-bars', 'data-quota': c.id },
    el('p', {}, `Quota cells (${c.quota.mode}): ${cells.filter(x => x.remaining === 0).length} of ${cells.length} full`),
    cells.slice(0, 8).map(x => bar(x.achieved, x.target, x.label)),
    cells.length > 8 ? el('p', { class: 'muted' }, `and ${cells.length - 8} more cells`) : null);
}

// Each tablet and its last sync, the longest silent first (the first six; the tablets page has all).
function tabletList(c) {
  if (!c.tablets.length) return null;
  const sorted = [...c.tablets].sort((a, b) => (a.lastSync || '').localeCompare(b.lastSync || ''));
  return el('ul', { class: 'tablets', 'aria-label': 'Tablets of ' + c.name },
    sorted.slice(0, 6).map(t => el('li', {}, (t.label || t.id) + ': ' + ago(t.lastSync) + (t.revoked ? ' (revoked)' : ''))),
    sorted.length > 6 ? el('li', { class: 'muted' }, `and ${sorted.length - 6} more`) : null);
}

async function draw() {
  const o = await api('/overview');
  const cards = o.caseStudies.map(c => el('section', { class: 'card', 'aria-labelledby': 'cs-' + c.id },
    el('h2', { id: 'cs-' + c.id }, el('a', { href: '/casestudy.html?id=' + encodeURIComponent(c.id) }, c.name)),
    el('p', {}, el('span', { class: 'big', 'data-complete': c.id }, String(c.complete)), ' complete',
      c.target ? ' of ' + c.target : ''),
    c.target ? bar(c.complete, c.target, 'Complete against target') : null,
    el('p', {}, `${counted(c.refused, 'refusal')} · ${c.partial} partial · `,
      el('span', { 'data-screened': c.id }, String(c.screenedOut)), ' screened out (quota full)'),
    el('p', {}, rates(c)),
    quotaBars(c),
    el('p', { class: 'muted' }, c.tablets.length + ' tablet(s); last sync ' +
      ago(c.tablets.map(t => t.lastSync).filter(Boolean).sort().pop())),
    tabletList(c)));
  const rows = o.caseStudies.map(c => [el('a', { href: '/casestudy.html?id=' + encodeURIComponent(c.id) }, c.name), ...numbers(c)]);
  rows.push([el('strong', {}, 'All case studies'), ...numbers(o.total)]);
  replace(content,
    el('p', { class: 'muted', id: 'updated' }, 'Updated ' + new Date(o.generated).toLocaleTimeString() + ' (refreshes every 5 s)'),
    el('div', { class: 'cards' }, cards),
    el('h2', {}, 'Totals'),
    table(['Case study', 'Complete', 'Target', 'Partial', 'Refusals', 'Screened out (quota full)', 'Approaches', 'RR5', 'COOP1'], rows,
      [1, 2, 3, 4, 5, 6, 7, 8]),
    el('p', { class: 'muted' }, ratesNote));
  sizeBars(content);
}

if (await frame('Overview')) {
  await draw();
  setInterval(() => draw().catch(() => {}), 5000);
}
