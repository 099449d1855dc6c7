// Case study: map (grid counts from the server when zoomed out, points when zoomed in),
// the case-study area, points coloured by where they are (inside / outside the area / no
// area), days, time slots, quotas (most needed first), fieldworkers. No tiles unless the
// collector runs with --tiles.
import { api, el, frame, table, replace, bar, sizeBars, rates, ratesNote, counted } from './common.js';

const id = new URLSearchParams(location.search).get('id') || '';
const content = document.getElementById('content');
// Fill: where the interview was; outline: interviews solid, contact-log approaches dashed grey.
const places = { inside: ['#1b5e20', 'inside the area'], outside: ['#c62828', 'outside the area'],
  unknown: ['#0b4f9c', 'no area to judge by'] };
const refusalColour = '#e65100';
const slotNames = { weekday_morning: 'Weekday morning (06–12)', weekday_afternoon: 'Weekday afternoon (12–17)',
  weekday_evening: 'Weekday evening (17–22)', weekend_morning: 'Weekend morning (06–12)',
  weekend_afternoon: 'Weekend afternoon (12–17)', weekend_evening: 'Weekend evening (17–22)', night: 'Night (22–06)' };

let map, layer, summary, tables, mapInfo;

async function drawLayer() {
  const b = map.getBounds();
  const bbox = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map(x => x.toFixed(6)).join(',');
  const r = await api(`/casestudies/${encodeURIComponent(id)}/map?bbox=${bbox}&zoom=${map.getZoom()}`);
  layer.clearLayers();
  let n = 0;
  if (r.kind === 'cells') {
    const max = Math.max(1, ...r.cells.map(c => c[2]));
    for (const [lat, lon, count, , outside] of r.cells) {
      n += count;
      L.circleMarker([lat, lon], { radius: 6 + 14 * Math.sqrt(count / max), color: '#0b2e59', weight: 1,
        fillColor: outside * 2 > count ? places.outside[0] : '#8e8e8e', fillOpacity: 0.55 })
        .bindTooltip(count + ' here' + (outside ? `, ${outside} outside the area` : '')).addTo(layer);
    }
    mapInfo.textContent = `${n} interviews and contacts in view, counted per grid cell; zoom in to see each one.`;
  } else {
    const seen = { inside: 0, outside: 0, unknown: 0 };
    let approaches = 0, refusals = 0;
    for (const [uuid, lat, lon, status, who, place] of r.points) {
      const contact = status.startsWith('contact:');
      // Refusals (a refused interview, or a refusal in the contact log) get a thick orange ring.
      const refusal = status === 'refused' || status === 'contact:refused';
      if (contact) approaches += 1;
      if (refusal) refusals += 1;
      if (!contact) seen[place] = (seen[place] || 0) + 1;
      const m = L.circleMarker([lat, lon], { radius: contact ? 5 : 7, color: refusal ? refusalColour : contact ? '#555' : '#111',
        weight: refusal ? 3 : contact ? 2 : 1,
        dashArray: contact ? '2 2' : null, fillColor: (places[place] || places.unknown)[0], fillOpacity: contact ? 0.4 : 0.9 });
      const tip = (contact ? 'approach (contact log): ' + status.slice(8).replace(/_/g, ' ') : 'interview: ' + status) +
        ' · ' + who + ' · ' + (places[place] || places.unknown)[1];
      m.bindTooltip(tip); // Leaflet sets tooltip strings as HTML: replaced by a text node at once
      m.getTooltip().setContent(el('span', {}, tip));
      if (!status.startsWith('contact:')) m.on('click', () => { location.href = '/interview.html?uuid=' + encodeURIComponent(uuid); });
      m.addTo(layer);
    }
    mapInfo.textContent = `${r.points.length - approaches} interviews in view: ${seen.inside} inside the area, ` +
      `${seen.outside} outside` + (seen.unknown ? `, ${seen.unknown} with no area to judge by` : '') +
      `; ${approaches} approaches from the contact log; ${refusals} refusals.`;
    mapInfo.dataset.inside = String(seen.inside);
    mapInfo.dataset.outside = String(seen.outside);
    mapInfo.dataset.approaches = String(approaches);
    mapInfo.dataset.refusals = String(refusals);
  }
  mapInfo.dataset.count = String(r.kind === 'cells' ? n : r.points.length);
}

function quotaTable(q) {
  if (!q) return el('p', { class: 'muted' }, 'No quotas set for this case study (kerbside quota set).');
  return el('div', { id: 'quota-table' },
    el('p', {}, `${q.mode} quotas on ${q.dimensions.join(' × ')} (form ${q.form}, plan ${q.version}): ` +
      `${q.totalAchieved} of ${q.totalTarget}, ${q.totalRemaining} still needed. Most needed first.`),
    table(['Cell', 'Still needed', 'Achieved', 'Target', 'Filled'], q.cells.map(c => [
      el('span', { class: 'label' }, c.label), c.remaining, c.achieved, c.target, bar(c.achieved, c.target, c.label, false)]), [1, 2, 3]));
}

async function drawNumbers() {
  const c = await api('/casestudies/' + encodeURIComponent(id));
  document.querySelector('h1').textContent = 'Case study: ' + c.name;
  document.title = c.name + ' – Kerbside';
  const p = c.places;
  replace(summary, el('p', {}, el('span', { class: 'big', id: 'complete' }, String(c.complete)), ' complete',
    c.quota ? ' of ' + c.quota.totalTarget : '', ' · ',
    `${counted(c.refused, 'refusal')} · ${c.partial} partial · ${c.screenedOut} screened out (quota full) · ${rates(c)}`),
    el('p', { id: 'places' }, c.area ? `Interviews inside the area: ${p.inside} · outside: ${p.outside} · no position fix: ${p.noFix}`
      : `No area set (kerbside casestudy area); ${p.noFix} interviews have no position fix.`));
  const slots = c.timeSlots.slots.filter(s => s.slot !== 'night' || s.approaches > 0);
  replace(tables,
    el('div', { class: 'side' },
      el('section', {}, el('h2', {}, 'By day'),
        table(['Day', 'Complete', 'Refusals', 'Partial', 'Approaches'], c.days.map(d => [d.day || 'no date', d.complete, d.refused, d.partial, d.approaches]), [1, 2, 3, 4])),
      el('section', { id: 'time-slots' }, el('h2', {}, 'By time slot'),
        el('p', { class: 'muted' }, 'Interviews by local start time in ' + c.timeSlots.timeZone +
          ' and the status they ended in (refusals in the contact log are in the day table).'),
        table(['Time slot', 'Complete', 'Refusals', 'Partial', 'Screened out'], slots.map(s => [slotNames[s.slot] || s.slot, s.complete,
          s.refused, s.partial, s.screenedOut]), [1, 2, 3, 4]))),
    el('h2', {}, 'Quotas'), quotaTable(c.quota),
    el('h2', {}, 'By fieldworker'),
    table(['Fieldworker', 'Complete', 'Refusals', 'Partial', 'Approaches'], c.fieldworkers.map(f => [
      el('a', { href: '/interviews.html?caseStudy=' + encodeURIComponent(id) + '&fieldworker=' + encodeURIComponent(f.fieldworker) }, f.fieldworker),
      f.complete, f.refused, f.partial, f.approaches]), [1, 2, 3, 4]),
    el('p', { class: 'muted' }, ratesNote));
  sizeBars(tables);
  return c;
}

if (await frame('Overview')) {
  summary = el('div');
  tables = el('div');
  mapInfo = el('p', { id: 'map-info', 'aria-live': 'polite' });
  const legend = el('p', { class: 'legend' }, Object.values(places).map(([colour, v]) =>
    el('span', {}, el('span', { class: 'dot', 'data-colour': colour }), v)),
    el('span', {}, el('span', { class: 'dot contact' }), 'approach from the contact log (faint, dashed)'),
    el('span', {}, el('span', { class: 'dot refusal' }), 'refusal (orange ring)'),
    el('span', {}, 'the black line is the case-study area'));
  replace(content, summary, el('h2', {}, 'Map'), el('div', { id: 'map', role: 'region', 'aria-label': 'Map of interviews' }), legend, mapInfo, tables);
  for (const d of legend.querySelectorAll('[data-colour]')) d.style.background = d.dataset.colour;
  const c = await drawNumbers();
  const session = await api('/session');
  map = L.map('map', { preferCanvas: true, renderer: L.canvas(), attributionControl: !!session.tiles });
  if (session.tiles) L.tileLayer(session.tiles, { maxZoom: 19 }).addTo(map);
  L.control.scale({ metric: true, imperial: false }).addTo(map);
  layer = L.layerGroup().addTo(map);
  let area = null;
  if (c.area) area = L.geoJSON(c.area.geojson, { style: { color: '#000', weight: 3, fill: false, interactive: false } }).addTo(map);
  // The view holds the area and every fix.
  const bounds = c.extent ? L.latLngBounds([[c.extent.south, c.extent.west], [c.extent.north, c.extent.east]]) : null;
  if (area && bounds) bounds.extend(area.getBounds());
  const view = bounds || (area ? area.getBounds() : null);
  if (view) map.fitBounds(view, { padding: [20, 20] });
  else map.setView([0, 0], 2);
  map.on('moveend', () => drawLayer().catch(() => {}));
  await drawLayer();
  setInterval(() => { drawNumbers().catch(() => {}); drawLayer().catch(() => {}); }, 10000);
}
