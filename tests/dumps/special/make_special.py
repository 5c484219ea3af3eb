"""Write the crafted special-case dumps in this directory with real CPython marshal.

Run with Python 3.13 (pyenv): `PYENV_VERSION=3.13.0 python3.13 make_special.py`.
It re-runs itself under Python 2.7 (`PYENV_VERSION=2.7.18 python2.7 make_special.py
--py27 DIR`) for the *-py27* files.  The outputs are committed test inputs; every golden
recorded on them must be re-recorded (tests/pstats/record.sh) if they are regenerated.

Files (all are marshal.dump() of a crafted object unless stated otherwise):
  normal-v0..v4.prof     small cProfile-shaped dict, marshal versions 0..4 (3.13)
  normal-py27-v0..v2.prof  the same dict as Python 2 str objects, written by 2.7 with
                         marshal versions 0/1/2 (v1/v2 contain interned 't' + 'R' refs,
                         v0 plain 's' strings: Python 3 reads those as bytes)
  normal-py27u-v0..v2.prof the same dict with unicode strings, written by 2.7 ('u' codes;
                         Python 3 reads these directly)
  normal-prof.prof       the same call graph in profile.py shape (int caller values)
  empty.prof             {}
  toplist.prof           a list at top level
  tuple4.prof            one value is a 4-tuple (missing callers)
  intvalue.prof          one value is an int
  jprofile.prof          one function has ('jprofile', 0, 'profiler') among its callers
  stripcallers.prof      callers /a/h.py:3 (1 call) and /b/h.py:3 (5 calls) collide after strip
  stripentries.prof      entries /x/u.py:1(f) and /y/u.py:1(f) collide after strip
  addcrash-c.prof        cProfile-shaped, shares the edge main->helper with ...
  addcrash-p.prof        ... this profile.py-shaped dump (int caller value)
  nonascii.prof          non-ASCII file and function names (BMP and astral)
  nanfloat.prof          nan / -nan / inf / -inf times
  sampled.prof           3.15 sampler shape: ('__sampled__',) -> True, int callers,
                         several keys per function (different executing lines)
  bignum.prof            counts above 2**31 (marshal 'l'), totals still below 2**63
  bignum-huge.prof       counts above 2**64 (marshal 'l' with 5+ digits)
  emptyfile.prof         0 bytes (not marshal output)
  truncated.prof         normal-v4.prof cut in the middle
  garbage.prof           plain text, not marshal data
  nullvalue.prof         normal-v2.prof with a '0' (NULL) byte in a dict value position
"""
from __future__ import print_function

import marshal
import os
import subprocess
import sys

MAIN = ('/home/u/proj/a.py', 10, 'main')
FIB = ('/home/u/proj/a.py', 20, 'fib')
HELPER = ('/home/u/lib/b.py', 5, 'helper')
SPLIT = ('~', 0, "<method 'split' of 'str' objects>")
LEN = ('~', 0, '<built-in method builtins.len>')
EXEC = ('~', 0, '<built-in method builtins.exec>')
DISABLE = ('~', 0, "<method 'disable' of '_lsprof.Profiler' objects>")
PLAIN = ('~', 0, 'plainname')


def normal():
    """A small cProfile-shaped dict (entry (cc, nc, tt, ct, callers))."""
    d = {}
    d[MAIN] = (1, 1, 0.00213, 0.01231, {EXEC: (1, 1, 0.00213, 0.01231)})
    d[FIB] = (2, 177, 0.00911, 0.00937,
              {MAIN: (2, 2, 0.00011, 0.00937), FIB: (175, 0, 0.009, 0.00926)})
    d[HELPER] = (3, 3, 0.00052, 0.00071, {MAIN: (3, 3, 0.00052, 0.00071)})
    d[SPLIT] = (1, 1, 0.000041, 0.000041, {MAIN: (1, 1, 0.000041, 0.000041)})
    d[LEN] = (4, 4, 0.000023, 0.000023,
              {HELPER: (3, 3, 0.000017, 0.000017), MAIN: (1, 1, 0.000006, 0.000006)})
    d[EXEC] = (1, 1, 0.000102, 0.01241, {})
    d[DISABLE] = (1, 1, 0.000001, 0.000001, {})
    d[PLAIN] = (0, 0, 0.0, 0.0, {})
    return d


def normal_profile_shape():
    """Same graph, profile.py shape: int caller values, profiler entries."""
    prof = ('profile', 0, 'profiler')
    cmd = ('profile', 0, 'main()')
    d = {}
    d[prof] = (0, 0, 0, 0, {})
    d[cmd] = (1, 1, 0.00001, 0.01241, {prof: 1})
    d[MAIN] = (1, 1, 0.00213, 0.01231, {cmd: 1})
    d[FIB] = (2, 177, 0.00911, 0.00937, {MAIN: 2, FIB: 175})
    d[HELPER] = (3, 3, 0.00052, 0.00071, {MAIN: 3})
    d[('', 0, 'split')] = (1, 1, 0.000041, 0.000041, {MAIN: 1})
    d[('', 0, 'len')] = (4, 4, 0.000023, 0.000023, {HELPER: 3, MAIN: 1})
    d[('', 0, 'setprofile')] = (1, 1, 0.000001, 0.000001, {cmd: 1})
    return d


def dump(path, obj, version=None):
    with open(path, 'wb') as f:
        if version is None:
            marshal.dump(obj, f)
        else:
            marshal.dump(obj, f, version)


def to_unicode(obj):
    """Python 2: rebuild obj with every str converted to unicode."""
    if isinstance(obj, str):
        return obj.decode('utf-8')
    if isinstance(obj, tuple):
        return tuple(to_unicode(x) for x in obj)
    if isinstance(obj, dict):
        return dict((to_unicode(k), to_unicode(v)) for k, v in obj.items())
    return obj


def write_py27(outdir):
    d = normal()
    for v in (0, 1, 2):
        dump(os.path.join(outdir, 'normal-py27-v%d.prof' % v), d, v)
        dump(os.path.join(outdir, 'normal-py27u-v%d.prof' % v), to_unicode(d), v)


def write_py3(outdir):
    out = lambda name: os.path.join(outdir, name)
    d = normal()
    for v in range(5):
        dump(out('normal-v%d.prof' % v), d, v)
    dump(out('normal-prof.prof'), normal_profile_shape())

    dump(out('empty.prof'), {})
    dump(out('toplist.prof'), [MAIN, FIB])

    bad = normal()
    bad[HELPER] = bad[HELPER][:4]
    dump(out('tuple4.prof'), bad)

    bad = normal()
    bad[HELPER] = 3
    dump(out('intvalue.prof'), bad)

    jp = normal()
    marker = ('jprofile', 0, 'profiler')
    cc, nc, tt, ct, callers = jp[MAIN]
    callers = dict(callers)
    callers[marker] = (1, 1, 0.0, 0.0)
    jp[MAIN] = (cc, nc, tt, ct, callers)
    dump(out('jprofile.prof'), jp)

    g = ('/c/g.py', 1, 'g')
    ha = ('/a/h.py', 3, 'h')
    hb = ('/b/h.py', 3, 'h')
    top = ('/c/main.py', 1, '<module>')
    sc = {}
    sc[top] = (1, 1, 0.001, 0.02, {})
    sc[ha] = (1, 1, 0.002, 0.004, {top: (1, 1, 0.002, 0.004)})
    sc[hb] = (1, 1, 0.003, 0.009, {top: (1, 1, 0.003, 0.009)})
    sc[g] = (6, 6, 0.007, 0.007, {ha: (1, 1, 0.001, 0.001), hb: (5, 5, 0.006, 0.006)})
    dump(out('stripcallers.prof'), sc)

    fx = ('/x/u.py', 1, 'f')
    fy = ('/y/u.py', 1, 'f')
    k = ('/x/k.py', 7, 'k')
    top = ('/x/main.py', 1, '<module>')
    se = {}
    se[top] = (1, 1, 0.0011, 0.0311, {})
    se[fx] = (2, 3, 0.0021, 0.0051, {top: (2, 2, 0.0011, 0.0031), fx: (1, 0, 0.001, 0.002)})
    se[k] = (4, 4, 0.0041, 0.0141, {top: (4, 4, 0.0041, 0.0141)})
    se[fy] = (5, 5, 0.0061, 0.0091, {top: (1, 1, 0.0011, 0.0021), k: (4, 4, 0.005, 0.007)})
    se[('~', 0, '<built-in method builtins.len>')] = (
        6, 6, 0.0001, 0.0001, {fx: (2, 2, 0.00004, 0.00004), fy: (4, 4, 0.00006, 0.00006)})
    dump(out('stripentries.prof'), se)

    ac = {}
    ac[MAIN] = (1, 1, 0.002, 0.01, {})
    ac[HELPER] = (3, 3, 0.005, 0.006, {MAIN: (3, 3, 0.005, 0.006)})
    dump(out('addcrash-c.prof'), ac)
    ap = {}
    ap[MAIN] = (1, 1, 0.003, 0.02, {})
    ap[HELPER] = (2, 2, 0.004, 0.007, {MAIN: 2})
    ap[FIB] = (1, 1, 0.001, 0.001, {MAIN: 1})
    dump(out('addcrash-p.prof'), ap)

    na = {}
    mod = (u'/home/\u00fc/caf\u00e9.py', 1, u'<module>')
    na[mod] = (1, 1, 0.0012, 0.0312, {})
    na[(u'/home/\u00fc/caf\u00e9.py', 4, u'gr\u00fc\u00dfe')] = (
        2, 2, 0.0022, 0.0042, {mod: (2, 2, 0.0022, 0.0042)})
    na[(u'/home/\u00fc/caf\u00e9.py', 9, u'\u95a2\u6570')] = (
        3, 3, 0.0032, 0.0132, {mod: (3, 3, 0.0032, 0.0132)})
    na[(u'/tmp/\U0001F40D.py', 2, u'snake_\U0001F40D')] = (
        1, 1, 0.0052, 0.0102, {mod: (1, 1, 0.0052, 0.0102)})
    na[(u'~', 0, u'<built-in method builtins.print>')] = (
        1, 1, 0.0001, 0.0001, {(u'/home/\u00fc/caf\u00e9.py', 9, u'\u95a2\u6570'): (1, 1, 0.0001, 0.0001)})
    dump(out('nonascii.prof'), na)

    nan = float('nan')
    inf = float('inf')
    nf = {}
    a = ('/n/a.py', 1, 'a')
    b = ('/n/a.py', 2, 'b')
    c = ('/n/a.py', 3, 'c')
    e = ('/n/a.py', 4, 'e')
    nf[a] = (1, 1, 0.001, inf, {})
    nf[b] = (2, 2, nan, nan, {a: (2, 2, nan, nan)})
    nf[c] = (3, 3, -nan, -inf, {a: (3, 3, -nan, -inf)})
    nf[e] = (4, 4, 0.002, 0.003, {b: (4, 4, 0.002, 0.003)})
    dump(out('nanfloat.prof'), nf)

    sp = {}
    root = ('~', 0, '<native>')
    m5 = ('/s/app.py', 5, 'main')
    m7 = ('/s/app.py', 7, 'main')
    w12 = ('/s/app.py', 12, 'work')
    sp[m5] = (3, 40, 0.003, 0.04, {root: 40})
    sp[m7] = (1, 10, 0.001, 0.01, {root: 10})
    sp[w12] = (36, 36, 0.036, 0.036, {m5: 30, m7: 6})
    sp[('~', 0, '<GC>')] = (2, 2, 0.002, 0.002, {m5: 2})
    sp[('__sampled__',)] = True
    dump(out('sampled.prof'), sp)

    bn = {}
    big = 3000000000
    bn[MAIN] = (1, 1, 1.5, 9000.25, {})
    bn[FIB] = (big, big * 3 + 7, 8000.125, 8999.5,
               {MAIN: (big, big, 1.0, 2.0), FIB: (big * 2 + 7, 0, 7999.0, 8997.0)})
    bn[HELPER] = (2 ** 40, 2 ** 40, 0.5, 0.5, {MAIN: (2 ** 40, 2 ** 40, 0.5, 0.5)})
    dump(out('bignum.prof'), bn)

    hn = {}
    huge = 2 ** 70 + 12345
    hn[MAIN] = (1, 1, 0.25, 1.75, {})
    hn[HELPER] = (huge, huge + 1, 1.5, 1.5, {MAIN: (huge + 1, huge, 1.5, 1.5)})
    hn[FIB] = (-5, -(2 ** 65), 0.0, 0.0, {MAIN: (-(2 ** 65), -5, 0.0, 0.0)})
    dump(out('bignum-huge.prof'), hn)

    open(out('emptyfile.prof'), 'wb').close()
    with open(out('normal-v4.prof'), 'rb') as f:
        data = f.read()
    with open(out('truncated.prof'), 'wb') as f:
        f.write(data[:len(data) // 2])
    with open(out('garbage.prof'), 'wb') as f:
        f.write(b'hello, this is not a profile\n')
    # NULL in a value position: marshal v2 of {k1: v1, k2: v2}, then replace v2's bytes
    # by '0' + the original rest; loads as {k1: v1} (the dict ends silently).
    small = {MAIN: d[MAIN]}
    with open(out('nullvalue.prof'), 'wb') as f:
        body = marshal.dumps(small, 2)
        keybytes = marshal.dumps(FIB, 2)
        f.write(body[:-1] + keybytes + b'0' + marshal.dumps(d[FIB], 2) + b'0')


def main():
    if len(sys.argv) > 2 and sys.argv[1] == '--py27':
        write_py27(sys.argv[2])
        return
    outdir = os.path.dirname(os.path.abspath(__file__))
    write_py3(outdir)
    env = dict(os.environ, PYENV_VERSION='2.7.18')
    subprocess.check_call(['python2.7', os.path.abspath(__file__), '--py27', outdir],
                          env=env)


if __name__ == '__main__':
    main()
