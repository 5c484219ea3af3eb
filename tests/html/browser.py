"""prof2html's pages in a real browser: headless Chromium driven by Selenium
(Debian's chromium, chromium-driver, python3-selenium), every page opened
from file://.  What the page shows is compared with what build/pstatsh
prints for the same dump (pstatsh prints what CPython's pstats prints).

usage: /usr/bin/python3 browser.py BUILD_DIR OUT_DIR PAGE_DIR
  PAGE_DIR holds NAME.html pages written by prof2html from the dumps listed
  in PAGE_DIR/pages.txt ("NAME DUMP" lines); screenshots go to OUT_DIR.
Prints "FAIL: ..." for each failed check and ends with "browser: N passed,
N failed"."""
import json
import os
import re
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

BUILD, OUT, PAGES = sys.argv[1], sys.argv[2], sys.argv[3]
PSTATSH = os.path.join(BUILD, 'pstatsh')
passed = failed = 0


def check(cond, name, detail=''):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print('FAIL: %s%s' % (name, (': ' + str(detail)[:600]) if detail != '' else ''))
    return cond


# ---- what pstats prints -----------------------------------------------------------

def pstatsh(dump, *cmds):
    args = [PSTATSH]
    for c in cmds:
        args += ['-c', c]
    return subprocess.run(args + [dump], capture_output=True, check=True).stdout.decode('utf-8', 'replace')


ROW = re.compile(r'^\s*(\S+) (.{8}) (.{8}) (.{8}) (.{8}) (.*)$')


def pstats_rows(dump):
    """print_stats' rows: (ncalls, tottime, percall, cumtime, percall, name)."""
    out = pstatsh(dump, 'stats').split('\n')
    i = next(k for k, l in enumerate(out) if l.startswith('   ncalls  tottime  percall'))
    rows = []
    for line in out[i + 1:]:
        if not line:
            break
        m = ROW.match(line)
        rows.append(tuple(g.strip() for g in m.groups()[:5]) + (m.group(6),))
    return rows


def pstats_edges(dump, which, regex):
    """callers/callees of the functions matching regex: {name: [(ncalls, tt, ct, other)]}."""
    out = pstatsh(dump, '%s %s' % (which, regex)).split('\n')
    head = next(k for k, l in enumerate(out) if l.endswith('    ncalls  tottime  cumtime'))
    name_size = len(out[head]) - len('    ncalls  tottime  cumtime')
    res, cur = {}, None
    for line in out[head + 1:]:
        if not line:
            break
        if line[:name_size].strip():
            cur = line[:name_size].rstrip()
            res[cur] = []
            rest = line[name_size + 3:]
        else:
            rest = line[name_size + 1:]
        if rest.strip():
            m = re.match(r'^\s*(\S+) (.{8}) (.{8})  (.*)$', rest)
            res[cur].append((m.group(1), m.group(2).strip(), m.group(3).strip(), m.group(4)))
    return res


# ---- the browser --------------------------------------------------------------------

def new_driver():
    o = webdriver.ChromeOptions()
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
              '--window-size=1400,1000', '--hide-scrollbars', '--force-device-scale-factor=1'):
        o.add_argument(a)
    if os.path.exists('/usr/bin/chromium'):
        o.binary_location = '/usr/bin/chromium'
    o.set_capability('goog:loggingPrefs', {'browser': 'ALL', 'performance': 'ALL'})
    return webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=o)


def flush_logs(d):
    d.get_log('browser')
    d.get_log('performance')


SETTLE = '''
const done = arguments[arguments.length - 1];
setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => done(true))), arguments[0]);
'''


def settle(d, ms=0):
    """Wait until what the last input started is drawn: the page's timers of at
    most `ms` (the search box's 120 ms pause: a timer set after it with a delay
    no shorter fires after it), then two animation frames (its redraws).  The
    checks wait for the page, not for a fixed time."""
    d.execute_async_script(SETTLE, ms)


def open_page(d, path, frag=''):
    flush_logs(d)
    d.get('file://' + path + frag)
    for _ in range(600):
        if d.execute_script('return window.pstatsReady !== undefined && window.pstatsDrawn !== undefined'):
            return True
        time.sleep(0.1)
    return False


def console_errors(d):
    return [e['message'] for e in d.get_log('browser') if e['level'] in ('SEVERE', 'ERROR')]


def foreign_requests(d, path):
    """Requests for anything but the page itself (performance log)."""
    bad = []
    for e in d.get_log('performance'):
        msg = json.loads(e['message'])['message']
        if msg.get('method') == 'Network.requestWillBeSent':
            url = msg['params']['request']['url'].split('#')[0]
            if url != 'file://' + path and not url.startswith('data:'):
                bad.append(url)
    return bad


READ_ROWS = '''
const done = arguments[arguments.length - 1];
const sc = document.getElementById('tscroll'), rows = new Map();
const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
(async () => {
  for (let y = 0; ; y += Math.max(40, sc.clientHeight - 60)) {
    sc.scrollTop = y;
    await frame();
    for (const r of document.querySelectorAll('#trows .trow')) {
      if (r.hidden) continue;
      rows.set(Number(r.dataset.row), [...r.children].map((c) => c.textContent));
    }
    if (y >= sc.scrollHeight) break;
  }
  sc.scrollTop = 0;
  await frame();
  done([...rows.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]));
})();
'''


def table_rows(d):
    return [tuple(r) for r in d.execute_async_script(READ_ROWS)]


def state(d):
    return d.execute_script('return window.pstatsPage.state()')


def frames(d):
    return d.execute_script('return window.pstatsPage.frames()')


def crumbs(d):
    return d.execute_script(
        "return [...document.querySelectorAll('#crumbs button, #crumbs .here')].map(e => e.textContent)")


def click_canvas(d, x, y):
    c = d.find_element(By.ID, 'chart')
    r = d.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.width, r.height]", c)
    # Selenium 4 offsets from the element's centre
    ActionChains(d).move_to_element_with_offset(c, int(x - r[0] / 2), int(y - r[1] / 2)).click().perform()
    settle(d)


def hover_canvas(d, x, y):
    c = d.find_element(By.ID, 'chart')
    r = d.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.width, r.height]", c)
    ActionChains(d).move_to_element_with_offset(c, int(x - r[0] / 2), int(y - r[1] / 2)).perform()
    settle(d)


SEARCH_PAUSE_MS = 120   # page.js: the search applies after a pause in typing


def search(d, text, regex=False, typed=False):
    """Search for text (a regex if asked).  Typed key by key when `typed` (the
    way a reader does it; WebDriver's keys cost ~20 ms each), else set at once
    with the one input event the page listens to."""
    box = d.find_element(By.ID, 'search')
    if d.find_element(By.ID, 'regex').is_selected() != regex:
        d.find_element(By.ID, 'regex').click()
    if typed:
        box.clear()
        if text:
            box.send_keys(text)
        else:   # clear() sends no input event
            d.execute_script("arguments[0].dispatchEvent(new Event('input'))", box)
    else:
        d.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))",
                         box, text)
    settle(d, SEARCH_PAUSE_MS)


def pixel(d, x, y):
    return d.execute_script('''
        const c = document.getElementById('chart'), k = c.width / c.getBoundingClientRect().width;
        return [...c.getContext('2d').getImageData(Math.floor(arguments[0] * k), Math.floor(arguments[1] * k), 1, 1).data];
    ''', x, y)


def text(d, ident):
    return d.find_element(By.ID, ident).get_attribute('textContent')


def select_by_name(d, name):
    """Filter the table to the function and click its row."""
    search(d, '^' + re.escape(name) + '$', regex=True)
    rows = d.find_elements(By.CSS_SELECTOR, '#trows .trow')
    for r in rows:
        if r.is_displayed() and r.find_elements(By.TAG_NAME, 'span')[5].get_attribute('textContent') == name:
            r.click()
            settle(d)
            return True
    return False


def rel_rows(d, ident):
    return d.execute_script('''
        return [...document.querySelectorAll('#' + arguments[0] + ' .trow:not(.head)')]
            .map((r) => [...r.children].map((c) => c.textContent));''', ident)


def numeric(v):
    return float(v.split('/')[0]) if v else 0.0


# ---- the checks -----------------------------------------------------------------------

def basic(d, name, path, dump):
    """Any dump: no error, no request, a row per function with pstats' numbers."""
    ok = open_page(d, path)
    check(ok, name + ': the page draws')
    errs = console_errors(d)
    check(not errs, name + ': no console error', errs)
    check(not foreign_requests(d, path), name + ': no request outside the file', foreign_requests(d, path))
    check(d.execute_script('return window.pstatsCspViolations.length') == 0, name + ': no CSP violation',
          d.execute_script('return window.pstatsCspViolations'))
    ref = pstats_rows(dump)
    got = table_rows(d)
    check(sorted(got) == sorted(ref), name + ': table rows = pstats rows (%d)' % len(ref),
          [r for r in got if r not in ref][:3] + ['...'] + [r for r in ref if r not in got][:3])
    check(text(d, 'tinfo') == '%d functions' % len(ref), name + ': row count', text(d, 'tinfo'))
    return ref


def sorting(d, name, ref):
    cols = {'nc': 0, 'tt': 1, 'ttpc': 2, 'ct': 3, 'ctpc': 4, 'name': 5}
    for key, col in cols.items():
        for clicks in (1, 2):
            d.find_element(By.CSS_SELECTOR, '#thead [data-key="%s"]' % key).click()
            settle(d)
            st = state(d)
            rows = table_rows(d)
            vals = [r[col] if key == 'name' else numeric(r[col]) for r in rows]
            want = sorted(vals, reverse=st['dir'] < 0)
            check(st['sort'] == key and vals == want and len(rows) == len(ref),
                  '%s: sorted by %s, %s' % (name, key, 'descending' if st['dir'] < 0 else 'ascending'),
                  vals[:8])
        # the two clicks gave both directions
    check(state(d)['dir'] in (1, -1), name + ': sort direction kept')


def filtering(d, name, ref, sub, rx):
    search(d, sub, typed=True)
    got = table_rows(d)
    want = [r for r in ref if sub.lower() in r[5].lower()]
    check(sorted(got) == sorted(want) and want, '%s: substring %r filters the table (%d rows)' % (name, sub, len(want)),
          (len(got), len(want)))
    search(d, rx, regex=True)
    got = table_rows(d)
    want = [r for r in ref if re.search(rx, r[5], re.I)]
    check(sorted(got) == sorted(want) and want, '%s: regex %r filters the table (%d rows)' % (name, rx, len(want)),
          (len(got), len(want)))
    search(d, '(', regex=True)
    check('bad' in d.find_element(By.ID, 'search').get_attribute('class').split(), name + ': a bad regex is marked')
    check(not console_errors(d), name + ': a bad regex is no error')
    search(d, '', regex=False)
    check(len(table_rows(d)) == len(ref), name + ': clearing the search shows every row')


def zooming(d, name):
    fr = [f for f in frames(d) if f['node'] > 0 and f['w'] >= 30]
    # a frame at least two levels down
    target = None
    for f in fr:
        if f['y'] >= 2 * 18:
            target = f
            break
    if not check(target is not None, name + ': a frame two levels down is drawn'):
        return
    click_canvas(d, target['x'], target['y'])
    st = state(d)
    check(st['zoom'] == target['node'], name + ': a click zooms into the frame', (st['zoom'], target))
    cr = crumbs(d)
    check(len(cr) == 1 + target['y'] // 18, name + ': the breadcrumbs lead to the frame', cr)
    check(text(d, 'selname') == target['name'], name + ': the click selects the function',
          (text(d, 'selname'), target['name']))
    check('zoom=%d' % target['node'] in d.execute_script('return location.hash'), name + ': the zoom is in the URL')
    now = frames(d)
    check(now and now[0]['node'] == target['node'], name + ': the zoomed frame is the new root')
    # hover details
    f = now[0]
    hover_canvas(d, 5, f['y'])
    tip = d.execute_script("const t = document.getElementById('tip'); return t.hidden ? '' : t.textContent")
    check('of total' in tip and 'of parent' in tip and 'cumtime' in tip, name + ': hover shows the details', tip)
    # back through the breadcrumbs
    d.find_element(By.CSS_SELECTOR, '#crumbs button').click()
    settle(d)
    check(state(d)['zoom'] == 0 and crumbs(d) == ['all'], name + ': the first breadcrumb zooms out', crumbs(d))
    return target


def relations(d, name, dump, func):
    if not check(select_by_name(d, func), '%s: row of %s' % (name, func)):
        return
    check(text(d, 'selname') == func, name + ': the row selects the function', text(d, 'selname'))
    for which, box in (('callers', 'callers'), ('callees', 'callees')):
        ref = pstats_edges(dump, which, re.escape(func.split('(')[-1].rstrip(')')))
        want = sorted(ref.get(func, []))
        got = sorted(tuple(r) for r in rel_rows(d, box))
        check(got == want and want, '%s: %s of %s = pstats (%d)' % (name, which, func, len(want)), (got, want))
    rows = rel_rows(d, 'callers')
    other = rows[0][3] if rows else None
    d.execute_script("document.querySelector('#callers .trow:not(.head)').click()")
    settle(d)
    check(other and text(d, 'selname') == other, name + ': clicking a caller selects it', (text(d, 'selname'), other))
    search(d, '', regex=False)


def highlighting(d, name, term):
    search(d, term)
    info = text(d, 'searchinfo')
    check(re.match(r'\d+ functions? match; [\d.]+% of the chart', info), name + ': search says what matched', info)
    colour = d.execute_script("""
        const c = getComputedStyle(document.documentElement).getPropertyValue('--match').trim();
        return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];""")
    # a pixel inside each frame, clear of its outline (1.5 px) and its label
    fr = [f for f in frames(d) if f['node'] > 0 and f['w'] >= 8]
    hits = [f for f in fr if term.lower() in f['name'].lower()]
    miss = [f for f in fr if term.lower() not in f['name'].lower()]
    spot = lambda f: pixel(d, int(f['left']) + 3, int(f['top']) + 2)[:3]
    px_hit = [spot(f) for f in hits]
    px_miss = [spot(f) for f in miss]
    check(hits and all(p == colour for p in px_hit), '%s: frames matching %r are highlighted (%d)' % (name, term, len(hits)),
          (px_hit[:3], colour))
    check(miss and all(p != colour for p in px_miss), name + ': the other frames are not', px_miss[:3])
    search(d, '', regex=False)


def sunburst(d, name, shot):
    d.execute_script("const v = document.getElementById('view'); v.value = 'sunburst'; v.dispatchEvent(new Event('change'))")
    settle(d)
    fr = [f for f in frames(d) if f['node'] > 0]
    check(state(d)['view'] == 'sunburst' and len(fr) > 3, name + ': the sunburst is drawn', len(fr))
    d.save_screenshot(shot)
    # the widest arc two rings out or more (arcs' arc length at mid radius)
    ring = sorted((f for f in fr if f['depth'] >= 2), key=lambda f: -f['w'])
    target = ring[0] if ring else None
    if target:
        click_canvas(d, target['x'], target['y'])
        st = state(d)
        check(st['zoom'] == target['node'] and crumbs(d)[-1] != 'all', name + ': a click on an arc zooms',
              (st['zoom'], target['node'], crumbs(d)))
    d.execute_script("const v = document.getElementById('view'); v.value = 'icicle'; v.dispatchEvent(new Event('change'))")
    d.find_element(By.ID, 'reset').click()
    settle(d)


def url_state(d, name, path):
    fr = [f for f in frames(d) if f['node'] > 0 and f['y'] >= 18 and f['w'] >= 30]
    click_canvas(d, fr[-1]['x'], fr[-1]['y'])
    st = state(d)
    sel = text(d, 'selname')
    href = d.execute_script('return location.hash')
    d.get('about:blank')
    open_page(d, path, href)
    st2 = state(d)
    check(st2['zoom'] == st['zoom'] and st2['fn'] == st['fn'] and text(d, 'selname') == sel,
          name + ': the URL fragment brings the view back', (href, st, st2))


def dark(d, name, path, shot):
    d.execute_cdp_cmd('Emulation.setEmulatedMedia', {'features': [{'name': 'prefers-color-scheme', 'value': 'dark'}]})
    open_page(d, path)
    bg = d.execute_script('return getComputedStyle(document.body).backgroundColor')
    nums = [int(v) for v in re.findall(r'\d+', bg)[:3]]
    check(sum(nums) < 150, name + ': dark theme when the reader prefers it', bg)
    d.save_screenshot(shot)
    d.execute_cdp_cmd('Emulation.setEmulatedMedia', {'features': [{'name': 'prefers-color-scheme', 'value': 'light'}]})


def hostile(d, path, dump, shot):
    name = 'hostile'
    ok = open_page(d, path)
    check(ok, name + ': the page draws')
    check(not console_errors(d), name + ': no console error', console_errors(d))
    check(not foreign_requests(d, path), name + ': no request (no <img> made)', foreign_requests(d, path))
    check(d.execute_script('return window.__pwned') is None, name + ': no payload ran')
    check(d.execute_script("return document.querySelectorAll('img, iframe, object, embed, b').length") == 0,
          name + ': no element made from a name')
    check(d.execute_script("return document.scripts.length") == 3, name + ': only the page\'s own scripts')
    title = d.execute_script('return document.title')
    check(title == '</title><script>window.__pwned=9</script>', name + ': the title is text', title)
    ref = pstats_rows(dump)
    got = table_rows(d)
    check(sorted(got) == sorted(ref), name + ': names shown literally in the table', (got[:2], ref[:2]))
    want = [r[5] for r in ref if 'pwned=3' in r[5]][0]
    check(select_by_name(d, want) and text(d, 'selname') == want, name + ': a hostile name selected literally',
          text(d, 'selname'))
    callers = rel_rows(d, 'callers')
    check(callers and '<img src=x onerror="window.__pwned=2">' in callers[0][3], name + ': callers literal', callers)
    search(d, '', regex=False)
    fr = [f for f in frames(d) if f['node'] > 0 and f['w'] >= 30 and 'pwned=3' in f['name']]
    if check(fr, name + ': hostile frames drawn'):
        click_canvas(d, fr[0]['x'], fr[0]['y'])
        cr = crumbs(d)
        check(any('</script><script>window.__pwned=3</script>' in c for c in cr), name + ': breadcrumbs literal', cr)
        hover_canvas(d, fr[0]['x'], 3)
        tip = d.execute_script("return document.getElementById('tip').textContent")
        check('\u2028' in tip or 'onerror' in tip, name + ': hover text literal', tip)
    check(d.execute_script('return window.__pwned') is None, name + ': still nothing ran')
    check(not console_errors(d), name + ': no console error after the clicks')
    d.save_screenshot(shot)


def svg(d, path, term, shot):
    """prof2folded --svg: click to zoom, reset, search with highlight."""
    name = 'flame svg'
    flush_logs(d)
    d.get('file://' + path)
    settle(d)
    geo = lambda: d.execute_script("""
        return [...document.querySelectorAll('g.f')].map((g) => {
            const r = g.querySelector('rect');
            return [g.style.display !== 'none', +r.getAttribute('x'), +r.getAttribute('width'), r.getAttribute('fill'),
                    g.querySelector('title').textContent.split('\\n')[0]];
        });""")
    before = geo()
    check(len(before) > 10 and not console_errors(d), name + ': drawn, no console error', len(before))
    width = before[0][2]
    # a frame 10 to 40 % of the width, above the root
    k = next((i for i, g in enumerate(before) if i and 0.1 * width < g[2] < 0.4 * width), None)
    if not check(k is not None, name + ': a frame to zoom into'):
        return
    gs = d.find_elements(By.CSS_SELECTOR, 'g.f')
    ActionChains(d).move_to_element_with_offset(gs[k].find_element(By.TAG_NAME, 'rect'), 0, 0).click().perform()
    settle(d)
    after = geo()
    check(abs(after[k][2] - width) < 0.5 and abs(after[k][1] - before[0][1]) < 0.5,
          name + ': a click zooms the frame to the full width', (before[k], after[k]))
    check(sum(1 for g in after if g[0]) < sum(1 for g in before if g[0]), name + ': frames outside it are hidden')
    check(d.find_element(By.ID, 'fg-reset').is_displayed(), name + ': "Reset zoom" appears')
    d.save_screenshot(shot)
    d.find_element(By.ID, 'fg-reset').click()
    settle(d)
    check([g[:3] for g in geo()] == [g[:3] for g in before], name + ': reset zoom restores every frame')
    d.find_element(By.ID, 'fg-search').click()
    d.switch_to.alert.send_keys(term)
    d.switch_to.alert.accept()
    settle(d)
    now = geo()
    hits = [g for g in now[1:] if re.search(term, g[4])]
    check(hits and all(g[3] == 'rgb(230,0,230)' for g in hits) and
          all(g[3] != 'rgb(230,0,230)' for g in now[1:] if not re.search(term, g[4])),
          name + ': search highlights the matching frames (%d)' % len(hits))
    check(re.match(r'Matched: [\d.]+%$', text(d, 'fg-matched')), name + ': search says the share matched',
          text(d, 'fg-matched'))
    d.find_element(By.ID, 'fg-search').click()
    settle(d)
    check([g[3] for g in geo()] == [g[3] for g in before] and text(d, 'fg-matched') == '',
          name + ': "Reset search" restores the colours')
    check(not console_errors(d) and not foreign_requests(d, path), name + ': no console error, no request')


READ_DIFF_ROWS = READ_ROWS.replace("map((c) => c.textContent)", "map((c) => c.textContent).concat([r.className])")


def std_name(f):
    """pstats' name of a profdiff JSON function."""
    if f['file'] == '~' and f['line'] == 0:
        n = f['name']
        return '{' + n[1:-1] + '}' if len(n) >= 2 and n[0] == '<' and n[-1] == '>' else n
    return '%s:%d(%s)' % (f['file'], f['line'], f['name'])


def change_seconds(t):
    m = re.match(r'^([+-]?[\d.]+) (s|ms|\u00b5s)', t.lstrip('\u00b1'))
    return float(m.group(1)) * {'s': 1, 'ms': 1e-3, '\u00b5s': 1e-6}[m.group(2)] if m else None


def diff_page(d, name, path, dump, js, shot):
    """prof2html --diff BASE: rows and frames coloured by the change of cumtime
    that profdiff's JSON gives (tests/diff checks that JSON against pstats)."""
    ok = open_page(d, path)
    check(ok, name + ': the page draws')
    check(not console_errors(d), name + ': no console error', console_errors(d))
    check(not foreign_requests(d, path), name + ': no request outside the file', foreign_requests(d, path))
    data = json.load(open(js, encoding='utf-8'))
    tol = 0.01 * data['base']['total_time']
    want = {}
    for f in data['functions']:
        if f['new'] is not None:
            base = f['base']['cumtime'] if f['base'] else 0.0
            want[std_name(f)] = (f['new']['cumtime'] - base, f['base'] is None)
    klass = lambda dl: 'same' if abs(dl) < tol or dl == 0 else ('up' if dl > 0 else 'down')
    ref = pstats_rows(dump)
    rows = [tuple(r) for r in d.execute_async_script(READ_DIFF_ROWS)]
    check(sorted(r[:5] + (r[6],) for r in rows) == sorted(ref), name + ": NEW's rows as pstats prints them (%d)" % len(ref))
    bad = []
    for r in rows:
        dl, new = want[r[6]]
        cls = r[7].split()[1] if len(r[7].split()) > 1 else ''
        if re.sub(r'\d$', '', cls) != klass(dl):
            bad.append((r[6], cls, dl))
        shown = change_seconds(r[5])
        if (r[5] == 'new since BASE') != new or (not new and (shown is None or abs(shown - dl) > 6e-7 + abs(dl) * 5e-4)):
            bad.append((r[6], r[5], dl, new))
    check(not bad, name + ': each row coloured and labelled by its change (%d rows)' % len(rows), bad[:4])
    top = max(rows, key=lambda r: abs(want[r[6]][0]))
    check(top[7].split()[1] in ('up4', 'down4'), name + ': the largest change is the deepest', top)
    check(any('up' in r[7] for r in rows) and any('down' in r[7] for r in rows) and any('same' in r[7] for r in rows),
          name + ': slower, faster and unchanged rows')
    note = text(d, 'diffnote')
    check(note.startswith('Compared with ') and 'total time' in note, name + ': the header says what is compared', note)
    # frames: the colour of a function's frames is its row's
    wrong = []
    nfr = 0
    for fr in frames(d):
        if fr['node'] == 0 or fr['w'] < 8:
            continue
        px = pixel(d, fr['left'] + 2, fr['top'] + 2)
        r_, g_, b_ = px[:3]
        got = 'up' if r_ > b_ + 20 else 'down' if b_ > r_ + 20 else 'same' if abs(r_ - b_) < 8 else '?'
        nfr += 1
        if got != klass(want[fr['name']][0]):
            wrong.append((fr['name'], px, want[fr['name']][0]))
    check(nfr > 5 and not wrong, name + ': each frame coloured by its change (%d frames)' % nfr, wrong[:4])
    d.find_element(By.CSS_SELECTOR, '#thead [data-key="dct"]').click()
    settle(d)
    first = d.execute_script("return document.querySelector('#trows .trow span:last-child').textContent")
    check(first == max(want, key=lambda k: want[k][0] if k in [r[6] for r in rows] else -1e300),
          name + ': sorted by the change, largest first', first)
    red = [fr for fr in frames(d) if fr['node'] > 0 and fr['w'] >= 30 and want[fr['name']][0] >= tol]
    if check(red, name + ': a slower frame to hover'):
        hover_canvas(d, red[0]['x'], red[0]['y'])
        tip = d.execute_script("return document.getElementById('tip').textContent")
        check('\u0394 cumtime since BASE +' in tip or 'new since BASE' in tip, name + ': the hover shows the change', tip)
    d.save_screenshot(shot)
    check(not console_errors(d), name + ': no console error after the clicks', console_errors(d))


def main():
    pages = []
    with open(os.path.join(PAGES, 'pages.txt')) as fp:
        for line in fp:
            n, dump, *extra = line.split()
            ext = '.svg' if n.startswith('svg') else '.html'
            pages.append((n, os.path.abspath(os.path.join(PAGES, n + ext)), dump, extra))
    d = new_driver()
    try:
        for n, path, dump, extra in pages:
            if n.startswith('diff-'):
                diff_page(d, n, path, dump, extra[0], os.path.join(OUT, n + '.png'))
                continue
            if n == 'hostile':
                hostile(d, path, dump, os.path.join(OUT, 'hostile.png'))
                continue
            if n == 'svg-hostile':
                flush_logs(d)
                d.get('file://' + path)
                settle(d)
                gs = d.find_elements(By.CSS_SELECTOR, 'g.f')
                ActionChains(d).move_to_element_with_offset(gs[-1].find_element(By.TAG_NAME, 'rect'), 0, 0).click().perform()
                names = d.execute_script("return [...document.querySelectorAll('g.f title')].map((t) => t.textContent)")
                check(any('<img src=x onerror="window.__pwned=2">' in t for t in names), 'hostile svg: names as text')
                check(d.execute_script('return window.__pwned') is None and
                      d.execute_script("return document.querySelectorAll('img, b').length") == 0 and
                      not console_errors(d), 'hostile svg: nothing ran, no element made, no console error')
                continue
            if n == 'svg-tokenize':
                svg(d, path, 'tokeni[sz]e', os.path.join(OUT, 'flame-svg-zoomed.png'))
                continue
            ref = basic(d, n, path, dump)
            if n == 'recur':
                sorting(d, n, ref)
                filtering(d, n, ref, 'RECUR.py', r'\(hanoi\)$|size')
                zooming(d, n)
                relations(d, n, dump, 'recur.py:3(hanoi)')
                highlighting(d, n, 'size')
                url_state(d, n, path)
            if n == 'tokenize':
                filtering(d, n, ref, 'tokenize', r'^[^{].*:1\d\d\(')
                zooming(d, n)
                relations(d, n, dump, [r[5] for r in ref if r[5].endswith(':458(tokenize)')][0])
                highlighting(d, n, 'tokenize')
                d.save_screenshot(os.path.join(OUT, 'tokenize-icicle.png'))
                sunburst(d, n, os.path.join(OUT, 'tokenize-sunburst.png'))
                dark(d, n, path, os.path.join(OUT, 'tokenize-dark.png'))
    finally:
        d.quit()
    print('browser: %d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
