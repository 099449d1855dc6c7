// Case study: map (grid counts from the server when zoomed out, points when zoomed in),
// days, fieldworkers. No tiles unless the collector runs with --tiles.
import { api, el, frame, pct, table, replace } from './common.js';

const id = new URLSearchParams(location.search).get('id') || '';
const content = document.getElementById('content');
const colours = { complete: '#0b4f9c', partial: '#7b1fa2', refused: '#e65100', screened_out: '#6d4c41', contact: '#757575' };
const colourOf = s => colours[s] || (s.startsWith('contact:') ? (s === 'contact:refused' ? colours.refused : colours.contact) : '#000');

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
        fillColor: outside * 2 > count ? colours.refused : '#0b4f9c', fillOpacity: 0.55 })
        .bindTooltip(count + ' here' + (outside ? `, ${outside} outside the area` : '')).addTo(layer);
    }
    mapInfo.textContent = `${n} interviews and contacts in view, counted per grid cell; zoom in to see each one.`;
  } else {
    for (const [uuid, lat, lon, status, who] of r.points) {
      const m = L.circleMarker([lat, lon], { radius: 6, color: '#111', weight: 1, fillColor: colourOf(status), fillOpacity: 0.9 });
      m.bindTooltip(status + ' · ' + who); // Leaflet sets tooltip strings as HTML: escape first
      m.getTooltip().setContent(el('span', {}, status + ' · ' + who));
      if (!status.startsWith('contact:')) m.on('click', () => { location.href = '/interview.html?uuid=' + encodeURIComponent(uuid); });
      m.addTo(layer);
    }
    mapInfo.textContent = `${r.points.length} interviews and contacts in view.`;
  }
  mapInfo.dataset.count = String(r.kind === 'cells' ? n : r.points.length);
}

async function drawNumbers() {
  const c = await api('/casestudies/' + encodeURIComponent(id));
  document.querySelector('h1').textContent = 'Case study: ' + c.name;
  document.title = c.name + ' – Kerbside';
  replace(summary, el('p', {}, el('span', { class: 'big', id: 'complete' }, String(c.complete)), ' complete · ',
    `${c.refused} refusals · ${c.partial} partial · ${c.screenedOut} screened out · RR1 ${pct(c.rr1)} · COOP1 ${pct(c.coop1)}`));
  replace(tables,
    el('h2', {}, 'By day'),
    table(['Day', 'Complete', 'Refusals', 'Partial', 'Approaches'], c.days.map(d => [d.day || 'no date', d.complete, d.refused, d.partial, d.approaches]), [1, 2, 3, 4]),
    el('h2', {}, 'By fieldworker'),
    table(['Fieldworker', 'Complete', 'Refusals', 'Partial', 'Approaches'], c.fieldworkers.map(f => [
      el('a', { href: '/interviews.html?caseStudy=' + encodeURIComponent(id) + '&fieldworker=' + encodeURIComponent(f.fieldworker) }, f.fieldworker),
      f.complete, f.refused, f.partial, f.approaches]), [1, 2, 3, 4]),
    el('h2', {}, 'Quotas'), el('p', { class: 'muted' }, c.quotas.length ? '' : 'No quota plan for this case study yet.'));
  return c;
}

if (await frame('Overview')) {
  summary = el('div');
  tables = el('div');
  mapInfo = el('p', { id: 'map-info', 'aria-live': 'polite' });
  const legend = el('p', { class: 'legend' }, Object.entries({ complete: 'complete', partial: 'partial', refused: 'refused',
    contact: 'other contact' }).map(([k, v]) => el('span', {}, el('span', { class: 'dot', 'data-colour': colours[k] }), v)));
  replace(content, summary, el('h2', {}, 'Map'), el('div', { id: 'map', role: 'region', 'aria-label': 'Map of interviews' }), legend, mapInfo, tables);
  for (const d of legend.querySelectorAll('[data-colour]')) d.style.background = d.dataset.colour;
  const c = await drawNumbers();
  const session = await api('/session');
  map = L.map('map', { preferCanvas: true, renderer: L.canvas(), attributionControl: !!session.tiles });
  if (session.tiles) L.tileLayer(session.tiles, { maxZoom: 19 }).addTo(map);
  L.control.scale({ metric: true, imperial: false }).addTo(map);
  layer = L.layerGroup().addTo(map);
  if (c.area) L.geoJSON(c.area, { style: { color: '#000', weight: 3, fill: false } }).addTo(map);
  if (c.extent) map.fitBounds([[c.extent.south, c.extent.west], [c.extent.north, c.extent.east]], { padding: [20, 20] });
  else map.setView([0, 0], 2);
  map.on('moveend', () => drawLayer().catch(() => {}));
  await drawLayer();
  setInterval(() => { drawNumbers().catch(() => {}); drawLayer().catch(() => {}); }, 10000);
}
