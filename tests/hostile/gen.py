"""gen.py - well-formed dumps holding hostile values, written by CPython itself.

Each dump is data/recur.prof loaded with pstats, one field set to one value
(in the heaviest entry, or in every entry), and written back with
dump_stats, so the bytes are CPython's.  Values: inf, -inf, nan, the smallest
denormal, 1e308, a negative time, zero; counts 2**63-1, -1, -2**63, 0.  Plus
a dump whose times are all zero and one whose times are all denormal, and
nan-mixed-K: NaN in a seeded choice of the entries' tottime and cumtime, where
list.sort's exact steps decide the order (pstatsh takes CPython's).

    python3 tests/hostile/gen.py OUTDIR
"""
import math
import os
import pstats
import random
import sys

FLOATS = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan, "denormal": 5e-324,
          "1e308": 1e308, "negative": -1.5, "zero": 0.0}
COUNTS = {"max": 2**63 - 1, "minus1": -1, "min": -2**63, "zero": 0}


def load(base):
    st = pstats.Stats(base)
    return st


def heaviest(st):
    return max(st.stats, key=lambda k: (len(st.stats[k][4]), st.stats[k][3]))


def set_entry(st, key, field, value):
    cc, nc, tt, ct, callers = st.stats[key]
    vals = {"cc": cc, "nc": nc, "tt": tt, "ct": ct}
    vals[field] = value
    st.stats[key] = (vals["cc"], vals["nc"], vals["tt"], vals["ct"], callers)


def set_edge(st, key, field, value):
    cc, nc, tt, ct, callers = st.stats[key]
    callers = dict(callers)
    for caller, v in callers.items():
        if isinstance(v, tuple):
            e = dict(zip(("nc", "cc", "tt", "ct"), v))
            e[field] = value
            callers[caller] = (e["nc"], e["cc"], e["tt"], e["ct"])
        break
    st.stats[key] = (cc, nc, tt, ct, callers)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    base = os.path.join(os.path.dirname(__file__), "..", "..", "data", "recur.prof")
    made = 0

    def write(name, st):
        nonlocal made
        st.dump_stats(os.path.join(out, name + ".prof"))
        made += 1

    for vname, v in FLOATS.items():
        for field in ("tt", "ct"):
            for where in ("one", "all"):
                st = load(base)
                keys = [heaviest(st)] if where == "one" else list(st.stats)
                for k in keys:
                    set_entry(st, k, field, v)
                write(f"{field}-{vname}-{where}", st)
            st = load(base)
            set_edge(st, heaviest(st), field, v)
            write(f"edge-{field}-{vname}", st)
    for vname, v in COUNTS.items():
        for field in ("nc", "cc"):
            for where in ("one", "all"):
                st = load(base)
                keys = [heaviest(st)] if where == "one" else list(st.stats)
                for k in keys:
                    set_entry(st, k, field, v)
                write(f"{field}-{vname}-{where}", st)
            st = load(base)
            set_edge(st, heaviest(st), field, v)
            write(f"edge-{field}-{vname}", st)
    for vname in ("zero", "denormal"):
        st = load(base)
        for k in list(st.stats):
            for f in ("tt", "ct"):
                set_entry(st, k, f, FLOATS[vname])
            for f in ("tt", "ct"):
                set_edge(st, k, f, FLOATS[vname])
        write(f"alltimes-{vname}", st)
    for k in range(1, 7):
        rnd = random.Random(k)
        st = load(base)
        for key in list(st.stats):
            for f in ("tt", "ct"):
                if rnd.random() < 0.3:
                    set_entry(st, key, f, math.nan)
        write(f"nan-mixed-{k}", st)
    print(f"gen.py: {made} dumps in {out}")


main()
