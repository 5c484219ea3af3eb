#!/usr/bin/env bash
# patch.sh GPROF2DOT.PY OUT.PY: gprof2dot with its --compare fixed where a function of the
# first profile is missing from the second (see record.sh): function2 is reset there, and
# such a function has no calls in the second profile.  Fails if the code is not there.
set -u
python3 - "$1" "$2" <<'PY'
import sys
s = open(sys.argv[1], encoding='utf-8').read()
a = "            except KeyError:\n                shape = 'box'\n"
b = "            calls2 = {call.callee_id: call for _, call in sorted_iteritems(function2.calls)}\n"
if s.count(a) != 1 or s.count(b) != 1:
    sys.exit("patch.sh: gprof2dot's graphs_compare is not the expected one (d1ba70a)")
s = s.replace(a, "            except KeyError:\n                function2 = None\n                shape = 'box'\n")
s = s.replace(b, b[:-1] + " if function2 is not None else {}\n")
open(sys.argv[2], 'w', encoding='utf-8').write(s)
PY
