#!/usr/bin/env python3
"""diffcheck.py DOT JSON PCT: prof2dot --diff's graph (--dot-writer=text) against profdiff's
JSON for the same BASE and NEW (tests/diff checks that JSON against pstats): each node's
fill is red where the function's cumtime grew by at least PCT % of BASE's total time, blue
where it shrank as much, grey otherwise; a function absent from BASE counts as grown from
0; the label carries the change (within 3 significant digits) exactly when it is not
grey or the function is new.  Prints one line per problem; exits 1 if any."""
import json, os, re, sys

dot, js, pct = sys.argv[1], sys.argv[2], float(sys.argv[3])
d = json.load(open(js, encoding='utf-8'))
tol = pct / 100.0 * d['base']['total_time']
funcs = {}
for f in d['functions']:
    if f['new'] is not None:
        mod = os.path.basename(os.path.splitext(f['file'])[0])
        funcs['%s:%d:%s' % (mod, f['line'], f['name'])] = f
node = re.compile(r'^\t(\d+) \[color="(#[0-9a-f]{6})".*?, label="((?:[^"\\]|\\.)*)"')
UNIT = {'s': 1.0, 'ms': 1e-3, '\u00b5s': 1e-6}
problems = nodes = 0
for line in open(dot, encoding='utf-8'):
    m = node.match(line)
    if not m:
        continue
    nodes += 1
    label = m.group(3).replace('\\n', '\n').replace('\\"', '"').replace('\\\\', '\\')
    lines = label.split('\n')
    f = funcs.get(lines[0])
    if f is None:
        print('%s: not a function of NEW in the JSON' % lines[0]); problems += 1; continue
    base = f['base']['cumtime'] if f['base'] else 0.0
    delta = f['new']['cumtime'] - base
    want = 'grey' if abs(delta) < tol or delta == 0 else ('red' if delta > 0 else 'blue')
    r, g, b = (int(m.group(2)[i:i + 2], 16) for i in (1, 3, 5))
    got = 'grey' if r == g == b else ('red' if r > b else 'blue' if b > r else '?')
    if got != want:
        print('%s: %s, wanted %s (delta %.6g s, tolerance %.6g s)' % (lines[0], got, want, delta, tol))
        problems += 1
    shown = [l for l in lines if l.startswith('\u0394 ') or l.startswith('new since BASE (')]
    if (want != 'grey' or f['base'] is None) != bool(shown):
        print('%s: change line %r (delta %.6g s, %s)' % (lines[0], shown, delta, want)); problems += 1
        continue
    if shown:
        m2 = re.search(r'([+-][0-9.e+]+) (s|ms|\u00b5s)', shown[0])
        v = float(m2.group(1)) * UNIT[m2.group(2)] if m2 else None
        if v is None or abs(v - delta) > max(abs(delta) * 0.006, 1e-9):
            print('%s: %r is not %.6g s' % (lines[0], shown[0], delta)); problems += 1
if nodes == 0:
    print('no node in %s' % dot); problems += 1
sys.exit(1 if problems else 0)
