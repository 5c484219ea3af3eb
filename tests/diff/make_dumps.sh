#!/usr/bin/env bash
# Regenerates tests/diff/dumps/ with real tools (the outputs are committed; re-run
# record.sh afterwards, the timings change):
#   app-before-3.11.prof, app-after-3.11.prof   progs/{before,after}/app.py under
#                                               python3.11 -m cProfile (a deliberate slowdown)
#   app-before-x1.2-3.11.prof                   app-before's every time x 1.2, written by
#                                               Python's pstats (load, scale, dump_stats):
#                                               a made regression of exactly +20 %
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
py() { PYENV_VERSION=3.11.7 PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 python3.11 "$@"; }
for v in before after; do
    (cd "$here/progs/$v" && py -m cProfile -o "$here/dumps/app-$v-3.11.prof" app.py >/dev/null)
done
py - "$here/dumps/app-before-3.11.prof" "$here/dumps/app-before-x1.2-3.11.prof" <<'PY'
import pstats, sys
s = pstats.Stats(sys.argv[1])
def edge(v):
    return (v[0], v[1], v[2] * 1.2, v[3] * 1.2) if isinstance(v, tuple) else v
s.stats = {f: (cc, nc, tt * 1.2, ct * 1.2, {c: edge(v) for c, v in callers.items()})
           for f, (cc, nc, tt, ct, callers) in s.stats.items()}
s.dump_stats(sys.argv[2])
PY
# names-{base,new}.prof: function names that would break a table or a JSON string
# ('|', markup, quotes, a line break, non-ASCII), marshalled by CPython as cProfile
# lays a dump out; two versions of the times.
py - "$here/dumps" <<'PY'
import marshal, sys
names = [("pkg/pipe|file.py", 3, "a|b"), ("m.py", 10, "<b>*x*</b> `q` [l](u) #h"),
         ("m.py", 20, 'quote" back\\slash\nnl'), ("ü.py", 1, "naïve_µ"),
         ("~", 0, "<built-in method x at 0x7f00aa>")]
for tag, k in (("base", 1.0), ("new", 1.5)):
    st = {}
    for i, f in enumerate(names):
        tt = 0.001 * (i + 1) * (k if i < 4 else 1.0)
        st[f] = (i + 1, i + 1, tt, tt * 2, {})
    with open("%s/names-%s.prof" % (sys.argv[1], tag), "wb") as out:
        marshal.dump(st, out)
PY
# groups-{base,new}.prof: one file with three <lambda>s (lines 10, 20, 30) in BASE and two
# (15, 35) in NEW, its lone function f moved 5 lines down (5 -> 10): the pairing keeps the
# order and follows the file's shift, so 10 -> 15 and 30 -> 35, and 20 is removed.
py - "$here/dumps" <<'PY'
import marshal, sys
for tag, keys in (("base", [("g.py", 5, "f"), ("g.py", 10, "<lambda>"), ("g.py", 20, "<lambda>"),
                            ("g.py", 30, "<lambda>")]),
                  ("new", [("g.py", 10, "f"), ("g.py", 35, "<lambda>"), ("g.py", 15, "<lambda>")])):
    st = {k: (1, 1, 0.001 * (i + 1), 0.002 * (i + 1), {}) for i, k in enumerate(keys)}
    with open("%s/groups-%s.prof" % (sys.argv[1], tag), "wb") as out:
        marshal.dump(st, out)
PY
