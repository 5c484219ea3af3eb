"""gen.py - well-formed dumps holding hostile values, written by CPython itself.

Each dump is data/recur.prof loaded with pstats, one field set to one value
(in the heaviest entry, or in every entry), and written back with
dump_stats, so the bytes are CPython's.  Values: inf, -inf, nan, the smallest
denormal, 1e308, a negative time, zero; counts 2**63-1, -1, -2**63, 0.  Plus
a dump whose times are all zero and one whose times are all denormal, and
nan-mixed-K: NaN in a seeded choice of the entries' tottime and cumtime, where
list.sort's exact steps decide the order (pstatsh takes CPython's), and
nan-big-K: 64 to 2000 made-up entries with NaN times (script-big.cmd).

    python3 tests/hostile/gen.py OUTDIR
    python3 tests/hostile/gen.py OUTDIR --live SEED...   (nan-live-SEED only)
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


# nan-big-K: n made-up functions in a shape of times, NaN sprinkled in; 64 or
# more entries, so list.sort finds several runs, merges them and gallops.
BIG = [(64, "random"), (71, "ascending"), (128, "blocks"), (200, "descending"),
       (333, "ties"), (640, "blocks"), (1000, "random"), (1234, "ascending"),
       (2000, "blocks"), (2000, "ties")]


def big_nan(n, shape, rnd):
    if shape == "random":
        tts = [rnd.random() for _ in range(n)]
    elif shape in ("ascending", "descending"):
        tts = sorted(rnd.random() for _ in range(n))
        tts = tts if shape == "ascending" else tts[::-1]
    elif shape == "ties":
        tts = [rnd.randint(0, 6) / 1000 for _ in range(n)]
    else:   # sorted stretches of random length, some reversed
        tts = []
        while len(tts) < n:
            part = sorted(rnd.random() for _ in range(rnd.randint(1, 150)))
            tts += part[::rnd.choice((1, -1))]
        tts = tts[:n]
    p = rnd.choice((0.02, 0.1, 0.3, 0.6))
    st = pstats.Stats()
    st.stats = {}
    for i in range(n):
        nc = rnd.randint(1, 4)
        tt = tts[i]
        ct = tt * rnd.choice((1, 1, 2)) if shape != "ties" else tt
        if rnd.random() < p:
            tt = math.nan
        if rnd.random() < p:
            ct = math.nan
        func = (f"m{i % 7}.py", i % 97 + 1, f"f{i}")
        st.stats[func] = (nc - rnd.randint(0, 1), nc, tt, ct, {})
    return st


def live(out, seeds):
    """nan-live-SEED: a nan-big dump of a size and shape the seed picks."""
    for seed in seeds:
        rnd = random.Random(seed)
        n = rnd.choice((rnd.randint(64, 300), rnd.randint(300, 3000)))
        shape = rnd.choice(("random", "ascending", "descending", "ties", "blocks"))
        big_nan(n, shape, rnd).dump_stats(os.path.join(out, f"nan-live-{seed}.prof"))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    if sys.argv[2:3] == ["--live"]:
        live(out, [int(a) for a in sys.argv[3:]])
        return
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
    for k, (n, shape) in enumerate(BIG, 1):
        write(f"nan-big-{k}", big_nan(n, shape, random.Random(100 + k)))
    print(f"gen.py: {made} dumps in {out}")


main()
