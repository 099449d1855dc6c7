#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench_dashboard: the coordinator's dashboard at 1,000,000 interviews (issue 13's benchmark).

Usage: bench_dashboard.py --kerbside BIN [--responses N] [--fixture FILE] [--runs R] [--ingest N]

1. The fixture: six case studies with areas, filled once by `kerbside simulate` (the merge path
   real uploads take, so every counter is kept as in the field) and reused when FILE exists.
2. `kerbside serve` on loopback; a coordinator signs in. Timed R times each (min/median/max, ms,
   the round trip over loopback: an upper bound of the server's time): the overview, a case
   study, the map's aggregated layer (whole world at zoom 3, a case study at zoom 11), the
   fieldworker page (all of a case study; one fieldworker by day), the map's points at zoom 15.
3. Headless Chromium (python3-selenium, as tests/web): the case-study page loaded R times;
   first contentful paint and the map layer's data (the map API's responseEnd), from the
   page's performance timing.
4. Ingest: `kerbside simulate --ingest N` into the same database while the server runs, with
   no browser open and with the dashboard open (overview and case-study pages polling, every
   10 s as shipped, plus a poller asking the overview and map every second), alternately,
   twice each, in the same run. The ingest grows the fixture by 4 x N.
"""
import argparse, http.cookiejar, json, os, re, shutil, statistics, subprocess, sys, tempfile, threading, time, urllib.request

ap = argparse.ArgumentParser()
ap.add_argument('--kerbside', required=True)
ap.add_argument('--responses', type=int, default=1_000_000)
ap.add_argument('--fixture', default='')
ap.add_argument('--runs', type=int, default=7)
ap.add_argument('--ingest', type=int, default=20_000)
ap.add_argument('--form', default=os.path.join(os.path.dirname(__file__), '..', '..', 'forms', 'community-contracts-voxpop.json'))
args = ap.parse_args()

work = tempfile.mkdtemp(prefix='kerbside-bench-dashboard-')
db = args.fixture or os.path.join(work, f'dashboard-{args.responses}.sqlite')
PASSWORD = 'bench coordinator password'
# Six neighbourhoods (the simulator's first places), each a square of about 2 x 3 km.
PLACES = [('moss-side', 53.4586, -2.2452), ('longsight', 53.4583, -2.2027), ('harpurhey', 53.5137, -2.2195),
          ('gorton', 53.4650, -2.1690), ('cheetham-hill', 53.5100, -2.2370), ('wythenshawe', 53.3920, -2.2640)]


def kb(*a, stdin=None, check=True):
    r = subprocess.run([args.kerbside, *a, '--db', db], input=stdin, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise SystemExit(f'kerbside {" ".join(a)} failed: {r.stderr}')
    return r


def stats(values):
    return f'min {min(values):.1f} / median {statistics.median(values):.1f} / max {max(values):.1f}'


# --- 1. the fixture ------------------------------------------------------------------------------
if not os.path.exists(db):
    t = time.time()
    for cs, lat, lon in PLACES:
        kb('casestudy', 'add', cs, '--name', cs.replace('-', ' ').title())
        ring = [[lon - 0.02, lat - 0.01], [lon + 0.02, lat - 0.01], [lon + 0.02, lat + 0.01], [lon - 0.02, lat + 0.01], [lon - 0.02, lat - 0.01]]
        area = os.path.join(work, cs + '.geojson')
        with open(area, 'w') as f:
            json.dump({'type': 'Polygon', 'coordinates': [ring]}, f)
        kb('casestudy', 'area', cs, '--geojson', area)
    r = kb('simulate', '--form', args.form, '--responses', str(args.responses), '--seed', '1')
    print(f'fixture: {r.stdout.strip()} ({time.time() - t:.0f} s in all)', flush=True)
else:
    print(f'fixture: reusing {db}', flush=True)
kb('user', 'add', 'bench', '--role', 'coordinator', '--password-stdin', stdin=PASSWORD + '\n', check=False)

# --- 2. the server's answers ---------------------------------------------------------------------
serve = subprocess.Popen([args.kerbside, 'serve', '--db', db, '--listen', '127.0.0.1:0'], stdout=subprocess.PIPE,
                         stderr=open(os.path.join(work, 'serve.log'), 'w'), text=True)
try:
    url = re.search(r'listening on (\S+)', serve.stdout.readline()).group(1)
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    req = urllib.request.Request(url + '/api/v1/login', data=json.dumps({'name': 'bench', 'password': PASSWORD}).encode(),
                                 headers={'Content-Type': 'application/json'}, method='POST')
    opener.open(req).read()

    def get(path):
        t = time.perf_counter()
        body = opener.open(url + '/api/v1' + path).read()
        return (time.perf_counter() - t) * 1000, json.loads(body)

    _, overview = get('/overview')
    total = sum(c['complete'] + c['partial'] + c['refused'] + c['screenedOut'] for c in overview['caseStudies'])
    print(f'{url}: {len(overview["caseStudies"])} case studies, {overview["total"]["approaches"]} approaches '
          f'({total} interviews and refusals)', flush=True)
    cs, lat, lon = PLACES[0]
    _, fw = get(f'/fieldworkers?caseStudy={cs}')
    one = fw['fieldworkers'][0]['fieldworker']
    box = f'{lat - 0.02:.4f},{lon - 0.03:.4f},{lat + 0.02:.4f},{lon + 0.03:.4f}'
    small = f'{lat - 0.001:.4f},{lon - 0.0015:.4f},{lat + 0.001:.4f},{lon + 0.0015:.4f}'
    routes = [('overview', '/overview'), ('case study', f'/casestudies/{cs}'),
              ('map cells, world, zoom 3', f'/casestudies/{cs}/map?bbox=-85,-180,85,180&zoom=3'),
              ('map cells, case study, zoom 11', f'/casestudies/{cs}/map?bbox={box}&zoom=11'),
              ('fieldworkers of a case study', f'/fieldworkers?caseStudy={cs}'),
              ('one fieldworker by day', f'/fieldworkers?caseStudy={cs}&fieldworker={one}'),
              ('map at zoom 15 (points or cells)', f'/casestudies/{cs}/map?bbox={small}&zoom=15')]
    for name, path in routes:
        get(path)  # warm
        times = []
        for _ in range(args.runs):
            ms, body = get(path)
            times.append(ms)
        extra = f', {body["kind"]}: {len(body.get("cells", body.get("points", [])))}' if 'kind' in body else ''
        print(f'  {name:34s} {stats(times)} ms{extra}', flush=True)

    # --- 3. the browser's first draw ---------------------------------------------------------------
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'web'))
    from headless import chromium  # tests/web/headless.py
    from selenium.webdriver.support.ui import WebDriverWait
    driver = chromium(f'{work}/profile')
    wait = WebDriverWait(driver, 60)
    driver.get(url + '/')
    wait.until(lambda d: d.execute_script('return !!document.getElementById("name")'))
    driver.execute_async_script('''const done = arguments[2];
      fetch('/api/v1/login', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({name: arguments[0], password: arguments[1]})}).then(r => done(r.status));''', 'bench', PASSWORD)
    fcp, layer = [], []
    for _ in range(args.runs + 1):
        driver.get(url + f'/casestudy.html?id={cs}')
        wait.until(lambda d: d.execute_script('const e = document.getElementById("map-info"); return e && e.dataset.count'))
        t = driver.execute_script('''
          const p = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
          const m = performance.getEntriesByType('resource').filter(e => e.name.includes('/map?'));
          return [p ? p.startTime : null, m.length ? m[0].responseEnd : null];''')
        fcp.append(t[0])
        layer.append(t[1])
    fcp, layer = fcp[1:], layer[1:]  # the first load fills the browser's cache
    print(f'  browser, case-study page: first contentful paint {stats(fcp)} ms; map layer data in {stats(layer)} ms', flush=True)

    # --- 4. ingest with and without the dashboard polling -----------------------------------------
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            get('/overview')
            get(f'/casestudies/{cs}/map?bbox={box}&zoom=11')
            stop.wait(1.0)

    rates = {'without the dashboard': [], 'with the dashboard open and polling': []}
    seed = int(time.time()) % 100000 + 2  # new interviews each run
    for round_ in range(2):
        for polling in (False, True):
            tabs = []
            poller = None
            if polling:
                driver.get(url + '/overview.html')
                driver.switch_to.new_window('tab')
                driver.get(url + f'/casestudy.html?id={cs}')
                stop.clear()
                poller = threading.Thread(target=poll)
                poller.start()
            else:
                driver.get('about:blank')
            r = kb('simulate', '--form', args.form, '--responses', str(args.ingest), '--seed', str(seed))
            seed += 1
            if poller:
                stop.set()
                poller.join()
                driver.close()
                driver.switch_to.window(driver.window_handles[0])
            rate = int(re.search(r'(\d+) responses/s', r.stdout).group(1))
            rates['with the dashboard open and polling' if polling else 'without the dashboard'].append(rate)
    for k, v in rates.items():
        print(f'  ingest ({args.ingest} per run, kerbside simulate beside the server), {k}: '
              + ', '.join(f'{x} responses/s' for x in v), flush=True)
    without, polled = rates['without the dashboard'], rates['with the dashboard open and polling']
    print(f'  ingest ratio, with the dashboard polling / without (runs alternated): median {statistics.median(polled) / statistics.median(without):.2f}, '
          + ', '.join(f'{p / w:.2f}' for p, w in zip(polled, without)) + ' per pair', flush=True)
    driver.quit()
finally:
    serve.terminate()
    serve.wait()
    if not args.fixture:
        shutil.rmtree(work, ignore_errors=True)
