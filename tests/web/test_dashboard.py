#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The dashboard in Debian's headless Chromium against a real `kerbside serve` on loopback,
with simulated tablets syncing through the real sync client (web_tablet).

Usage: test_dashboard.py --kerbside BIN --tablet BIN --source DIR [--shots DIR]
Each step asserts what the coordinator would see; screenshots of every page at 1366x768 and
768x1024 go to --shots."""
import argparse, base64, io, json, os, re, shutil, subprocess, sys, tempfile, time, urllib.request, zipfile

from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from headless import chromium  # tests/web/headless.py

ap = argparse.ArgumentParser()
ap.add_argument('--kerbside', required=True)
ap.add_argument('--tablet', required=True)
ap.add_argument('--source', required=True)
ap.add_argument('--shots', default='')
# axe-core's axe.min.js (npm's axe-core, not a Debian package): when given (or in
# KERBSIDE_AXE), every page is also checked by it; serious and critical findings fail.
ap.add_argument('--axe', default=os.environ.get('KERBSIDE_AXE', ''))
args = ap.parse_args()

work = tempfile.mkdtemp(prefix='kerbside-web-')
db = os.path.join(work, 'collector.sqlite')
PASSWORD = 'correct horse battery'
XSS = '<script>alert(1)</script>'
HTML_LABEL = '<i>Anything</i> else? <img src=x onerror=alert(2)>'
steps = []


def step(name):
    steps.append(name)
    print('--', name, flush=True)


def kb(*a, stdin=None):
    r = subprocess.run([args.kerbside, *a, '--db', db], input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f'kerbside {" ".join(a)} failed: {r.stderr}')
    return r.stdout


def xlsx(path, sheets):
    """A minimal .xlsx (inline strings) with the given sheets: {name: [[cell, ...], ...]}."""
    def col(i):
        s = ''
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s
    esc = lambda t: t.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;')
    with zipfile.ZipFile(path, 'w') as z:
        names = list(sheets)
        z.writestr('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   + ''.join(f'<Override PartName="/xl/worksheets/sheet{i+1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(len(names)))
                   + '</Types>')
        z.writestr('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   + ''.join(f'<sheet name="{n}" sheetId="{i+1}" r:id="rId{i+1}"/>' for i, n in enumerate(names)) + '</sheets></workbook>')
        z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + ''.join(f'<Relationship Id="rId{i+1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i+1}.xml"/>' for i in range(len(names)))
                   + '</Relationships>')
        for i, n in enumerate(names):
            rows = ''.join(f'<row r="{r+1}">' + ''.join(f'<c r="{col(c)}{r+1}" t="inlineStr"><is><t>{esc(v)}</t></is></c>' for c, v in enumerate(row) if v != '') + '</row>'
                           for r, row in enumerate(sheets[n]))
            z.writestr(f'xl/worksheets/sheet{i+1}.xml', '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                       f'<sheetData>{rows}</sheetData></worksheet>')


# --- the collector -----------------------------------------------------------------------------
kb('casestudy', 'add', 'cs1', '--name', 'North<b>field</b> & Co')
kb('casestudy', 'add', 'cs2', '--name', 'Riverside')
# The case-study area: the southern half of where web_tablet puts its interviews
# (latitude 51.45-51.55), so some are inside and some outside.
area = os.path.join(work, 'area.geojson')
json.dump({'type': 'Polygon', 'coordinates': [[[-2.6, 51.44], [-2.48, 51.44], [-2.48, 51.5], [-2.6, 51.5], [-2.6, 51.44]]]},
          open(area, 'w'))
kb('casestudy', 'area', 'cs1', '--geojson', area)
kb('user', 'add', 'ann', '--role', 'coordinator', '--password-stdin', stdin=PASSWORD + '\n')
kb('user', 'add', 'ana', '--role', 'analyst', '--case-study', 'cs1', '--password-stdin', stdin=PASSWORD + '\n')
onetime = re.search(r'one-time password for newbie: (\S+)', kb('user', 'add', 'newbie', '--role', 'coordinator')).group(1)
serve = subprocess.Popen([args.kerbside, 'serve', '--db', db, '--listen', '127.0.0.1:0'], stdout=subprocess.PIPE,
                         stderr=open(os.path.join(work, 'serve.log'), 'w'), text=True)
line = serve.stdout.readline()
url = re.search(r'listening on (\S+)', line).group(1)
print('collector at', url, flush=True)

# --- the browser -------------------------------------------------------------------------------
downloads = os.path.join(work, 'downloads')
os.makedirs(downloads)
driver = chromium(f'{work}/profile', browser_log=True)
driver.execute_cdp_cmd('Browser.setDownloadBehavior', {'behavior': 'allow', 'downloadPath': downloads})
wait = WebDriverWait(driver, 20, ignored_exceptions=[StaleElementReferenceException])
failures = []


def check(cond, what):
    if not cond:
        failures.append(f'{steps[-1]}: {what}')
        print('   FAILED:', what, flush=True)


def text(selector):
    """The text of an element read in one step (pages that poll redraw their elements)."""
    return driver.execute_script('const e = document.querySelector(arguments[0]); return e ? e.textContent : null', selector)


def attr(selector, name):
    return driver.execute_script('const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null',
                                 selector, name)


def downloaded(path):
    for _ in range(150):
        if os.path.exists(path) and not os.path.exists(path + '.crdownload'):
            return
        time.sleep(0.2)


def no_alert():
    try:
        driver.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def fetch(path, method='GET', body=None, csrf=True, credentials='same-origin'):
    """Runs fetch() in the page; returns [status, parsed JSON or text]."""
    return driver.execute_async_script('''
      const [path, method, body, withCsrf, credentials, done] = arguments;
      (async () => {
        const headers = {'Content-Type': 'application/json'};
        if (withCsrf) { const s = await (await fetch('/api/v1/session')).json(); headers['X-Kerbside-CSRF'] = s.csrf; }
        const r = await fetch(path, {method, headers, credentials, body: body === null ? undefined : JSON.stringify(body)});
        const t = await r.text(); let j = t; try { j = JSON.parse(t); } catch (e) {}
        done([r.status, j]);
      })().catch(e => done([0, String(e)]));''', path, method, body, csrf, credentials)


def login(name, password):
    driver.get(url + '/')
    wait.until(lambda d: d.find_element(By.ID, 'name'))
    driver.find_element(By.ID, 'name').clear()
    driver.find_element(By.ID, 'name').send_keys(name)
    driver.find_element(By.ID, 'password').send_keys(password, Keys.ENTER)


axe_source = open(args.axe).read() if args.axe else ''


def axe_check(where):
    """axe-core's serious and critical findings on the page shown (when --axe is given)."""
    if not axe_source:
        return
    driver.execute_script(axe_source)
    found = driver.execute_async_script('''
      const done = arguments[arguments.length - 1];
      axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))).catch(e => done(['axe: ' + e]));''')
    check(not found, f'{where}: axe-core: {found}')


def tablet(*extra):
    r = subprocess.run([args.tablet, '--url', url, *extra], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise SystemExit(f'web_tablet failed: {r.stdout} {r.stderr}')
    return r.stdout


try:
    step('security headers and 401 without a session')
    with urllib.request.urlopen(url + '/') as r:
        csp = r.headers.get('Content-Security-Policy', '')
        check("default-src 'self'" in csp and "frame-ancestors 'none'" in csp, 'CSP: ' + csp)
        check(r.headers.get('X-Content-Type-Options') == 'nosniff', 'nosniff')
        check(b'<form class="login"' in r.read(), '/ without a session is the login page')
    def refusal_headers(req, code, what):
        try:
            urllib.request.urlopen(req)
            check(False, what + ' was answered')
        except urllib.error.HTTPError as e:
            check(e.code == code, f'{what}: {e.code}')
            csp = e.headers.get('Content-Security-Policy', '')
            check("default-src 'self'" in csp and "frame-ancestors 'none'" in csp, f'{what}: CSP {csp!r}')
            check(e.headers.get('X-Content-Type-Options') == 'nosniff', f'{what}: nosniff')
    # Refusals the HTTP server makes itself, before any dashboard code runs, carry them too.
    refusal_headers(url + '/no/such/place', 404, 'an unknown path (the server\'s 404)')
    refusal_headers(urllib.request.Request(url + '/v1/status'), 401, 'a sync endpoint without a token (the server\'s 401)')
    refusal_headers(urllib.request.Request(url + '/api/v1/login', data=b'x' * 100000, method='POST'), 413,
                    'a body over the limit (the server\'s 413)')
    # The canned 503 over the per-address connection limit is written before any request is
    # read, by the accepting thread: a second collector allowing one connection per address.
    busy = subprocess.Popen([args.kerbside, 'serve', '--db', db, '--listen', '127.0.0.1:0', '--max-connections-per-address', '1'],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        host, port = re.search(r'listening on http://([^:/]+):(\d+)', busy.stdout.readline()).groups()
        import socket
        held = socket.create_connection((host, int(port)))
        time.sleep(0.2)  # the first connection counted before the second arrives
        with socket.create_connection((host, int(port)), timeout=10) as refused:
            answer = b''
            while chunk := refused.recv(4096):
                answer += chunk
        held.close()
        head, _, body = answer.partition(b'\r\n\r\n')
        head = head.decode('latin-1')
        check(head.startswith('HTTP/1.1 503'), 'the busy refusal: ' + head[:40])
        check("Content-Security-Policy: default-src 'self'" in head and "frame-ancestors 'none'" in head, 'busy 503: CSP ' + head)
        check('X-Content-Type-Options: nosniff' in head, 'busy 503: nosniff')
        length = re.search(r'Content-Length: (\d+)', head)
        check(length and int(length.group(1)) == len(body), f'busy 503: Content-Length {length and length.group(1)} for {len(body)} bytes')
    finally:
        busy.terminate()
        busy.wait(timeout=20)
    for path in ['/api/v1/overview', '/api/v1/devices', '/api/v1/interviews', '/api/v1/conflicts', '/api/v1/export.zip']:
        try:
            urllib.request.urlopen(url + path)
            check(False, path + ' answered without a session')
        except urllib.error.HTTPError as e:
            check(e.code == 401, f'{path}: {e.code}')

    step('keyboard: the login form in tab order with labels')
    driver.get(url + '/')
    wait.until(lambda d: d.find_element(By.ID, 'name'))
    check(driver.switch_to.active_element.get_attribute('id') == 'name', 'focus starts in the user name')
    driver.switch_to.active_element.send_keys(Keys.TAB)
    check(driver.switch_to.active_element.get_attribute('id') == 'password', 'tab goes to the password')
    driver.switch_to.active_element.send_keys(Keys.TAB)
    check(driver.switch_to.active_element.get_attribute('id') == 'signin', 'then the button')

    step('a failed login')
    login('ann', 'not the password')
    wait.until(lambda d: d.find_element(By.ID, 'message').text)
    check('wrong user name or password' in driver.find_element(By.ID, 'message').text, 'the refusal is shown')
    check(driver.current_url.rstrip('/') == url, 'still on the login page')

    step('a one-time password must be changed first')
    login('newbie', onetime)
    wait.until(lambda d: d.find_element(By.ID, 'change').is_displayed())
    check(fetch('/api/v1/overview')[0] == 403, 'the API waits for the new password')
    driver.find_element(By.ID, 'current').send_keys(onetime)
    driver.find_element(By.ID, 'new').send_keys('a brand new passphrase', Keys.ENTER)
    wait.until(lambda d: d.current_url.endswith('/overview.html'))
    check(fetch('/api/v1/overview')[0] == 200, 'the API answers after the change')
    driver.delete_all_cookies()

    step('log in as the coordinator; names are shown as text')
    login('ann', PASSWORD)
    wait.until(lambda d: d.current_url.endswith('/overview.html'))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '#cs-cs1 a'))
    link = driver.find_element(By.CSS_SELECTOR, '#cs-cs1 a')
    check(link.text == 'North<b>field</b> & Co', 'case-study name as typed: ' + link.text)
    check(not link.find_elements(By.TAG_NAME, 'b'), 'no <b> element made from the name')

    step('publish an XLSForm with an error, then fixed')
    driver.get(url + '/forms.html')
    wait.until(lambda d: d.find_element(By.ID, 'form-file'))
    survey = [['type', 'name', 'label'], ['text', 'street', 'Street <b>name</b>'], ['select_one colour', 'door', 'Door colour']]
    settings = [['form_id', 'version', 'form_title'], ['webtest', '1', 'Web <em>test</em>']]
    bad = os.path.join(work, 'webtest.xlsx')
    xlsx(bad, {'survey': survey, 'choices': [['list_name', 'name', 'label'], ['shade', 'red', 'Red']], 'settings': settings})
    driver.find_element(By.ID, 'form-file').send_keys(bad)
    driver.find_element(By.ID, 'form-check').click()
    wait.until(lambda d: d.find_elements(By.ID, 'form-problems'))
    problems = driver.find_element(By.ID, 'form-result').text
    check('nothing was stored' in problems and 'survey' in problems and '3' in problems, 'problems with sheet and row: ' + problems)
    check(fetch('/api/v1/forms')[1]['forms'] == [], 'nothing stored')
    good = os.path.join(work, 'fixed', 'webtest.xlsx')
    os.makedirs(os.path.dirname(good))
    xlsx(good, {'survey': survey, 'choices': [['list_name', 'name', 'label'], ['colour', 'red', 'Red'], ['colour', 'blue', 'Blue']],
                'settings': settings})
    driver.find_element(By.ID, 'form-file').send_keys(good)
    driver.find_element(By.CSS_SELECTOR, 'input[name=cs][value=cs1]').click()
    driver.find_element(By.ID, 'form-publish').click()
    try:
        wait.until(lambda d: d.find_elements(By.ID, 'form-ok'))
    except TimeoutException:
        pass
    check(driver.find_elements(By.ID, 'form-ok'), 'the fixed form is published: ' + driver.find_element(By.ID, 'form-result').text)
    wait.until(lambda d: 'Web <em>test</em>' in d.find_element(By.ID, 'content').text)
    check(not driver.find_elements(By.CSS_SELECTOR, '#content em'), 'the title with HTML is text')
    # The vox-pop form the tablets use, with an HTML label on its free-text question.
    voxpop = json.load(open(os.path.join(args.source, 'forms', 'community-contracts-voxpop.json')))
    for q in voxpop['questions']:
        if q['name'] == 'comment':
            q['label'] = {k: HTML_LABEL for k in q['label']}
    vox = os.path.join(work, 'voxpop.json')
    json.dump(voxpop, open(vox, 'w'))
    driver.find_element(By.ID, 'form-file').send_keys(vox)
    driver.find_element(By.CSS_SELECTOR, 'input[name=cs][value=cs1]').click()
    driver.find_element(By.ID, 'form-publish').click()
    wait.until(lambda d: d.find_elements(By.ID, 'form-ok') and 'community-contracts-voxpop' in d.find_element(By.ID, 'content').text)
    # Quotas on the vox-pop form's awareness question (i12's plan), set while the dashboard runs.
    targets = os.path.join(work, 'targets.csv')
    open(targets, 'w').write('aware,target\nyes,40\nno,8\ndk,30\n')
    kb('quota', 'set', 'cs1', '--form', 'community-contracts-voxpop', '--by', 'aware', '--targets', targets)

    step('enrol a tablet: the code and its expiry on screen')
    driver.get(url + '/tablets.html')
    wait.until(lambda d: d.find_elements(By.ID, 'enrol-cs'))
    driver.find_element(By.CSS_SELECTOR, '#enrol button[type=submit]').click()
    wait.until(lambda d: d.find_elements(By.ID, 'enrol-code'))
    code = driver.find_element(By.ID, 'enrol-code').text
    check(re.fullmatch(r'[A-Z0-9]{5}-[A-Z0-9]{5}', code), 'a code: ' + code)
    check('expires' in driver.find_element(By.ID, 'enrol-result').text, 'its expiry')

    step('tablets sync; the overview changes without a reload')
    driver.get(url + '/overview.html')
    wait.until(lambda d: text('[data-complete=cs1]') is not None)
    check(text('[data-complete=cs1]') == '0', 'nothing yet')
    driver.execute_script('window.__notReloaded = true')
    out = tablet('--dir', os.path.join(work, 't1'), '--code', code, '--case-study', 'cs1', '--count', '25', '--seed', '3',
                 '--comment', XSS, '--conflict')
    first = re.search(r'first (\S+)', out).group(1)
    conflict_uuid = re.search(r'conflict (\S+):', out).group(1)
    try:
        WebDriverWait(driver, 20).until(lambda d: text('[data-complete=cs1]') == '26')
    except TimeoutException:
        pass
    check(text('[data-complete=cs1]') == '26', f"26 complete shown: {text('[data-complete=cs1]')}")
    check(driver.execute_script('return window.__notReloaded === true'), 'the page was not reloaded')
    check('1 tablet(s); last sync' in text('#content') and 'last sync never' not in text('#content').split('Riverside')[0],
          'the tablet and its last sync')
    check(re.search(r'tablet-t1: \d+ s ago', text('[aria-label="Tablets of North<b>field</b> & Co"]') or ''),
          'each tablet with its last sync: ' + str(text('ul.tablets')))
    bars = driver.execute_script('return [...document.querySelectorAll("[data-quota=cs1] .bar-row")].map(b => b.textContent)')
    check(len(bars) == 3, f'three quota cells as bars: {bars}')
    achieved = [int(re.search(r'(\d+)/(\d+)$', b).group(1)) for b in bars]
    check(sum(achieved) == 25, f'the bars count the 25 completes that answered (the conflict did not): {bars}')
    check(re.search(r'(\d+)/(\d+)$', bars[0]).group(2) in ('40', '30', '8'), 'targets beside the bars')
    check('26 complete of 78' in text('#content'), 'complete against the quota total')
    check(text('[data-screened=cs1]') == '0', 'quota-full screen-outs shown')
    check('RR5' in text('#content') and 'COOP1' in text('#content'), "the exports' AAPOR rates")

    step('the case-study map changes without a reload')
    driver.get(url + '/casestudy.html?id=cs1')
    wait.until(lambda d: attr('#map-info', 'data-count'))
    before = int(attr('#map-info', 'data-count'))
    check(before == 25, f'25 with a fix on the map (the conflict has none): {before}')
    check(driver.find_elements(By.CSS_SELECTOR, '.leaflet-control-scale'), 'a scale bar')
    check(not driver.find_elements(By.CSS_SELECTOR, '.leaflet-tile'), 'no tiles without --tiles')
    driver.execute_script('window.__notReloaded = true')
    # Five more interviews, two the collector refuses (kept on the tablet, reported as pending)
    # and two approaches in the contact log (one a refusal).
    tablet('--dir', os.path.join(work, 't1'), '--case-study', 'cs1', '--count', '5', '--seed', '4', '--refused', '2',
           '--contacts', '2')
    try:
        WebDriverWait(driver, 25).until(lambda d: attr('#map-info', 'data-count') == '32')
    except TimeoutException:
        pass
    check(attr('#map-info', 'data-count') == '32', 'the map counts the new interviews and approaches: ' + str(attr('#map-info', 'data-count')))
    check(driver.execute_script('return window.__notReloaded === true'), 'the page was not reloaded')
    try:
        WebDriverWait(driver, 15).until(lambda d: text('#complete') == '31')
    except TimeoutException:
        pass
    check(text('#complete') == '31', f"and the numbers: {text('#complete')}")

    step('the case study: area, inside/outside, time slots, quotas most needed first')
    places = text('#places')
    m = re.search(r'inside the area: (\d+) · outside: (\d+) · no position fix: (\d+)', places or '')
    check(m and int(m.group(1)) > 0 and int(m.group(2)) > 0 and int(m.group(3)) == 1, 'inside, outside and no fix: ' + str(places))
    check(driver.find_elements(By.CSS_SELECTOR, '#map path.leaflet-interactive, #map svg path') or
          driver.execute_script('return !!document.querySelector("#map .leaflet-overlay-pane")'), 'the boundary is drawn')
    status, cs1 = fetch('/api/v1/casestudies/cs1')
    check(cs1['area'] and cs1['area']['geojson']['type'] == 'Polygon', 'the area in the API')
    slots = driver.execute_script('return [...document.querySelectorAll("#time-slots tbody tr")].map(r => [...r.cells].map(c => c.textContent))')
    check(sum(int(r[1]) for r in slots) == 31 and all(r[0] for r in slots), f'31 completes by time slot: {slots}')
    quota_rows = driver.execute_script('return [...document.querySelectorAll("#quota-table tbody tr")].map(r => [...r.cells].map(c => c.textContent))')
    needed = [int(r[1]) for r in quota_rows]
    check(len(quota_rows) == 3 and needed == sorted(needed, reverse=True), f'quota cells, most needed first: {quota_rows}')
    check(sum(int(r[2]) for r in quota_rows) == 30, 'achieved: the 30 completes that answered')
    # Zoomed in: the points, coloured by where they are (the tooltips say it in words).
    driver.find_element(By.CSS_SELECTOR, '.leaflet-control-zoom-in').click()
    try:
        WebDriverWait(driver, 15).until(lambda d: attr('#map-info', 'data-inside') is not None)
    except TimeoutException:
        pass
    check(attr('#map-info', 'data-inside') and int(attr('#map-info', 'data-inside')) + int(attr('#map-info', 'data-outside') or 0) > 0,
          'points in view judged inside/outside: ' + str(text('#map-info')))
    check(attr('#map-info', 'data-approaches') == '2' and attr('#map-info', 'data-refusals') == '1',
          'approaches and refusals from the contact log on the map: ' + str(text('#map-info')))
    rings = driver.execute_script('return document.querySelectorAll("#map .leaflet-interactive").length')
    check(rings or driver.execute_script('return !!document.querySelector("#map canvas")'), 'points drawn')
    status, pts = fetch('/api/v1/casestudies/cs1/map?bbox=51.4,-2.7,51.6,-2.4&zoom=14')
    kinds = {p[5] for p in pts['points'] if not p[3].startswith('contact:')}
    check(kinds == {'inside', 'outside'}, f'the API judges each point: {kinds}')
    if args.shots:
        os.makedirs(args.shots, exist_ok=True)
        time.sleep(0.5)
        driver.save_screenshot(os.path.join(args.shots, 'casestudy-points-1366x768.png'))

    step('one interview: a hostile answer and an HTML label shown as text')
    driver.get(url + '/interview.html?uuid=' + first)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '.answer'))
    answers = [e.text for e in driver.find_elements(By.CSS_SELECTOR, '.answer')]
    check(XSS in answers, 'the answer as typed: ' + repr(answers[:3]))
    check(HTML_LABEL in driver.find_element(By.ID, 'content').text, 'the label as typed')
    check(not driver.find_elements(By.CSS_SELECTOR, '#content img, #content i, #content script'), 'no element made from them')
    check(no_alert(), 'no script ran')

    step('flag and approve an interview')
    driver.find_element(By.ID, 'issues').click()
    wait.until(lambda d: d.find_element(By.ID, 'review-message').text)
    check('comment' in driver.find_element(By.ID, 'review-message').text, 'has issues needs a comment')
    driver.find_element(By.ID, 'review-comment').send_keys('GPS fix <b>odd</b>')
    driver.find_element(By.ID, 'issues').click()
    wait.until(lambda d: 'has_issues' in d.find_element(By.ID, 'review-state').text)
    check('GPS fix <b>odd</b>' in driver.find_element(By.ID, 'review-state').text, 'the comment as typed')
    driver.find_element(By.ID, 'approve').click()
    wait.until(lambda d: 'approved' in d.find_element(By.ID, 'review-state').text)
    check('(ann)' in driver.find_element(By.ID, 'review-state').text, 'who reviewed')

    step('the interviews list filters')
    driver.get(url + '/interviews.html?caseStudy=cs1&review=approved')
    wait.until(lambda d: 'shown' in d.find_element(By.ID, 'content').text)
    check('1 shown' in driver.find_element(By.ID, 'content').text, 'one approved')
    driver.get(url + '/fieldworkers.html')
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, 'table'))
    check('enumerator-' in driver.find_element(By.ID, 'content').text, 'fieldworkers listed')

    step('the outside-area flag links to the interviews behind it')
    status, fws = fetch('/api/v1/fieldworkers')
    outside = sum(f['outsideArea'] or 0 for f in fws['fieldworkers'])
    check(outside == int(m.group(2)) if m else False, f'fieldworkers outside the area: {outside}')
    links = driver.find_elements(By.CSS_SELECTOR, 'a[href*="flag=outside_area"]')
    check(links, 'an outside-area link')
    if links:
        n = int(links[0].text)
        links[0].click()
        wait.until(lambda d: 'shown' in d.find_element(By.ID, 'content').text)
        check(f'{n} shown' in driver.find_element(By.ID, 'content').text, f'{n} interviews outside the area listed')
        areas = driver.execute_script('return [...document.querySelectorAll("#content tbody tr")].map(r => r.cells[6].textContent)')
        check(areas and all(a == 'outside the area' for a in areas), f'each one outside: {areas}')
        check(driver.find_element(By.ID, 'f-flag').get_attribute('value') == 'outside_area', 'the filter shows the flag')

    step('the per-day flags link to their interviews: no fix, answers changed often')
    driver.get(url + '/fieldworkers.html?manyChanges=1')
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, 'table'))
    day_links = driver.execute_script('return [...document.querySelectorAll("a[href*=\'flag=no_fix\'][href*=\'day=\']")].map(a => [a.href, a.textContent])')
    check(len(day_links) == 1 and day_links[0][1] == '1', f'one per-day no-fix link (the conflict interview): {day_links}')
    headings = driver.execute_script('return [...document.querySelectorAll("thead th")].map(t => t.textContent)')
    for h in ['Too fast', 'Answers changed often', 'Outside area', 'No fix', 'Median length']:
        check(headings.count(h) >= 1, f'a {h!r} column: {headings}')
    if day_links:
        driver.get(day_links[0][0])
        wait.until(lambda d: 'shown' in d.find_element(By.ID, 'content').text)
        check('1 shown' in driver.find_element(By.ID, 'content').text, 'the interview without a fix listed')
        check(driver.find_element(By.ID, 'f-flag').get_attribute('value') == 'no_fix', 'the filter shows the flag')
    status, fws = fetch('/api/v1/fieldworkers?manyChanges=1')
    status, changed = fetch('/api/v1/interviews?flag=many_changes&manyChanges=1&limit=1000')
    check(status == 200 and len(changed['interviews']) == sum(f['manyChanges'] for f in fws['fieldworkers']),
          f"answers changed more than once: the list matches the counters ({len(changed['interviews'])})")
    driver.get(url + '/fieldworkers.html?fieldworker=enumerator-3')
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, 'table'))
    medians = driver.execute_script('return [...document.querySelectorAll("table")[1].querySelectorAll("tbody tr")].map(r => r.cells[5].textContent)')
    status, one = fetch('/api/v1/fieldworkers?fieldworker=enumerator-3')
    duration = lambda x: '–' if x is None else f'{int(x + 0.5)} s' if x < 120 else f'{int(x / 60 + 0.5)} min'
    expected = [duration(d.get('medianSeconds')) for d in one['days']]
    check(medians and medians == expected and all('medianSeconds' in d for d in one['days']),
          f"one fieldworker's days with their median length: {medians} vs {expected}")

    step('tablets: app and form versions, pending as reported')
    driver.get(url + '/tablets.html')
    wait.until(lambda d: 'web_tablet 1.0' in d.find_element(By.ID, 'content').text)
    shown = driver.find_element(By.ID, 'content').text
    check('community-contracts-voxpop' in shown, 'the form versions the tablet used')
    status, devices = fetch('/api/v1/devices')
    t1 = [t for t in devices['devices'] if t['label'] == 'tablet-t1']
    check(t1 and t1[0]['pending'] == 2 and t1[0]['pendingReported'], f"the two refused completes reported as pending: {t1}")
    check(t1 and text(f'[data-pending="{t1[0]["id"]}"]') == '2', 'pending shown: ' + str(t1 and text(f'[data-pending="{t1[0]["id"]}"]')))
    check(all(t['pending'] is None for t in devices['devices'] if t['label'] != 'tablet-t1' and not t['lastSeen']),
          'a tablet that never synced has reported nothing')

    step('forms: the versions in use on tablets')
    driver.get(url + '/forms.html')
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-in-use]'))
    check(text(f'[data-in-use="community-contracts-voxpop {voxpop["version"]}"]') == '1', 'the vox-pop version is in use on one tablet')
    check(text('[data-in-use="webtest 1"]') == '0', 'the web test form on none')

    step('an analyst sees a conflict without its sensitive answers')
    jar = urllib.request.HTTPCookieProcessor()
    opener = urllib.request.build_opener(jar)
    opener.open(urllib.request.Request(url + '/api/v1/login', data=json.dumps({'name': 'ana', 'password': PASSWORD}).encode(),
                                       headers={'Content-Type': 'application/json'}))
    seen = json.load(opener.open(url + '/api/v1/conflicts'))['conflicts']
    check(seen and seen[0]['kept'].get('comment', 'absent') is None and seen[0]['other'].get('comment', 'absent') is None,
          'the comment (sensitive) is hidden on both sides: ' + repr(seen[:1]))
    status, mine = fetch('/api/v1/conflicts')
    check(mine['conflicts'][0]['other']['comment'] == 'second version', 'the coordinator sees it')

    step('resolve a conflict')
    driver.get(url + '/conflicts.html')
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-other]'))
    shown = driver.find_element(By.ID, 'content').text
    check('first version' in shown and 'second version' in shown, 'both versions side by side')
    driver.find_element(By.CSS_SELECTOR, '[data-other]').click()
    wait.until(lambda d: 'No open conflicts' in d.find_element(By.ID, 'content').text)
    status, detail = fetch('/api/v1/interviews/' + conflict_uuid)
    check(any(a['value'] == 'second version' for a in detail['answers']), 'the chosen version is current')
    resolved = driver.execute_script('return [...document.querySelectorAll("#content tbody tr")].map(r => r.textContent)')
    check(any('the other version' in r and 'ann' in r for r in resolved), f'who chose which, and when: {resolved}')

    step('download an export zip and read its CSV')
    driver.get(url + '/exports.html')
    wait.until(lambda d: d.find_elements(By.ID, 'export-link'))
    driver.find_element(By.CSS_SELECTOR, 'input[name=cs][value=cs2]').click()
    driver.find_element(By.ID, 'export-start').click()
    try:
        WebDriverWait(driver, 60).until(lambda d: attr('#export-progress', 'data-done'))
    except TimeoutException:
        pass
    check(attr('#export-progress', 'data-done'), 'the export job finished: ' + str(text('#export-progress')))
    check(driver.find_element(By.ID, 'export-bar').get_attribute('value') == '100', 'the progress bar is full')
    if args.shots:
        os.makedirs(args.shots, exist_ok=True)
        driver.save_screenshot(os.path.join(args.shots, 'exports-done-1366x768.png'))
    zpath = os.path.join(downloads, 'kerbside-export.zip')
    downloaded(zpath)
    with zipfile.ZipFile(zpath) as z:
        names = z.namelist()
        csvs = [n for n in names if n.endswith('.csv') and 'voxpop' in n and not n.endswith('.missing.csv')]
        check(csvs, 'a vox-pop CSV in ' + repr(names))
        rows = z.read(csvs[0]).decode('utf-8-sig').strip().splitlines() if csvs else []
        check(len(rows) == 32, f'31 interviews and a header: {len(rows)} lines')
        check(XSS not in ''.join(rows), 'the sensitive comment is left out')
    os.remove(zpath)
    driver.find_element(By.ID, 'approved-only').click()
    driver.find_element(By.ID, 'export-link').click()
    downloaded(zpath)
    with zipfile.ZipFile(zpath) as z:
        csvs = [n for n in z.namelist() if n.endswith('.csv') and 'voxpop' in n and not n.endswith('.missing.csv')]
        rows = z.read(csvs[0]).decode('utf-8-sig').strip().splitlines() if csvs else []
        check(len(rows) == 2, f'approved only: one interview: {len(rows)} lines')

    step('a change without the CSRF token is refused')
    status, body = fetch('/api/v1/enrolments', 'POST', {'caseStudy': 'cs1'}, csrf=False)
    check(status == 403 and 'CSRF' in body['error'], f'{status} {body}')
    status, body = fetch('/api/v1/enrolments', 'POST', {'caseStudy': 'cs1'})
    check(status == 200, f'with it: {status}')

    step('screenshots of every page at 1366x768 and 768x1024, labels on every field' + (', axe-core' if axe_source else
                                                                                       ' (no axe-core given: labels by hand)'))
    pages = ['/overview.html', '/casestudy.html?id=cs1', '/fieldworkers.html', '/interviews.html?caseStudy=cs1',
             '/interview.html?uuid=' + first, '/tablets.html', '/forms.html', '/conflicts.html', '/exports.html']
    if args.shots:
        os.makedirs(args.shots, exist_ok=True)
    for w, h in [(1366, 768), (768, 1024)]:
        driver.set_window_size(w, h)
        for p in pages:
            driver.get(url + p)
            wait.until(lambda d: 'Loading' not in (text('#content') or 'Loading'))
            time.sleep(0.5)
            unlabelled = driver.execute_script('''
              return [...document.querySelectorAll('input, select, textarea, button')].filter(e => {
                if (e.type === 'hidden') return false;
                if (e.getAttribute('aria-label') || e.closest('label')) return false;
                if (e.tagName === 'BUTTON') return !e.textContent.trim();
                return !(e.id && document.querySelector('label[for="' + e.id + '"]'));
              }).map(e => e.outerHTML.slice(0, 80));''')
            check(not unlabelled, f'{p}: fields without a label: {unlabelled}')
            axe_check(f'{p} at {w}x{h}')
            if args.shots:
                name = re.sub(r'[^a-z]+', '-', p.split('?')[0].strip('/').replace('.html', ''))
                driver.save_screenshot(os.path.join(args.shots, f'{name}-{w}x{h}.png'))
                if name == 'casestudy':  # the tables below the map: time slots and quotas
                    driver.execute_script('document.getElementById("time-slots").scrollIntoView()')
                    time.sleep(0.3)
                    driver.save_screenshot(os.path.join(args.shots, f'{name}-tables-{w}x{h}.png'))
        driver.get(url + '/')
        if args.shots:
            driver.save_screenshot(os.path.join(args.shots, f'overview-home-{w}x{h}.png'))
    driver.set_window_size(1366, 768)

    step('no CSP violation or script error in the console')
    errors = [e['message'] for e in driver.get_log('browser') if e['level'] == 'SEVERE'
              and 'favicon' not in e['message'] and 'status of 4' not in e['message']]
    check(not errors, repr(errors[:3]))

    step('sign out')
    driver.find_element(By.XPATH, '//button[text()="Sign out"]').click()
    wait.until(lambda d: d.find_elements(By.ID, 'login'))
    check(fetch('/api/v1/session', csrf=False)[0] == 401, 'the session is gone')
    for w, h in [(1366, 768), (768, 1024)]:  # the login page too
        driver.set_window_size(w, h)
        driver.get(url + '/')
        wait.until(lambda d: d.find_elements(By.ID, 'login'))
        axe_check(f'the login page at {w}x{h}')
        if args.shots:
            driver.save_screenshot(os.path.join(args.shots, f'login-{w}x{h}.png'))
    driver.set_window_size(1366, 768)

    step('an analyst: 403 on revoke, sees only her case study')
    login('ana', PASSWORD)
    wait.until(lambda d: d.current_url.endswith('/overview.html'))
    status, overview = fetch('/api/v1/overview')
    check([c['id'] for c in overview['caseStudies']] == ['cs1'], 'only cs1')
    status, devices = fetch('/api/v1/devices')
    device = devices['devices'][0]['id']
    status, body = fetch(f'/api/v1/devices/{device}/revoke', 'POST', {})
    check(status == 403, f'revoke: {status}')
    check(fetch('/api/v1/enrolments', 'POST', {'caseStudy': 'cs1'})[0] == 403, 'enrol: 403')
    check(fetch('/api/v1/conflicts/1/resolve', 'POST', {'choose': 'kept'})[0] == 403, 'resolve: 403')
    check(fetch('/api/v1/casestudies/cs2')[0] == 404, 'another case study is not there')
    status, detail = fetch('/api/v1/interviews/' + first)
    check(any(a['question'] == 'comment' and a['value'] is None for a in detail['answers']), 'sensitive answer hidden')
    driver.get(url + '/tablets.html')
    wait.until(lambda d: 'Tablets' in d.find_element(By.ID, 'content').text)
    check(not driver.find_elements(By.CSS_SELECTOR, '[data-revoke]'), 'no revoke buttons')
    driver.delete_all_cookies()

    step('failed logins are limited per account, answered at once')
    driver.get(url + '/')
    codes = [fetch('/api/v1/login', 'POST', {'name': 'ann', 'password': 'guess %d' % i}, csrf=False)[0] for i in range(7)]
    check(codes[:5] == [401] * 5 and codes[-1] == 429, repr(codes))
    status, _ = fetch('/api/v1/login', 'POST', {'name': 'ann', 'password': PASSWORD}, csrf=False)
    check(status == 429, 'even the right password waits')
finally:
    driver.quit()
    serve.terminate()
    serve.wait(timeout=20)

if failures:
    print('\n'.join(['FAILED:'] + failures))
    print('collector log:', open(os.path.join(work, 'serve.log')).read()[-3000:])
    sys.exit(1)
shutil.rmtree(work, ignore_errors=True)
print(f'all {len(steps)} steps passed')
