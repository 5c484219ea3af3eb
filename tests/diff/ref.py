#!/usr/bin/env python3
"""ref.py - the reference for profdiff: the same comparison computed from pstats.Stats.

    ref.py [options] --base F [--base F...] --new F [--new F...] [--check OURS.json]

Options as profdiff takes them: --match name|exact, --strip-dirs, --normalize,
--sort cumtime|tottime|ncalls, --fail-above PCT, --fail-function-above PCT,
--min-time S.  Without --check it prints its result as JSON; with --check it
compares profdiff's JSON with it (every function in order, every count, every
float: equal, or within 1e-12 relative) and exits 1 on a difference.

Each side is pstats.Stats(*files) (strip_dirs() after the merge); the rest
follows the rules profdiff's manual states: functions paired by (file, name
without " at 0x..." addresses) or by pstats' key, groups of one name paired in
file order by least |base line + shift - new line| (shift: the lower median of
the file's lone functions' line moves), rows in NEW's order then BASE's removed
ones, stably sorted by |delta| descending."""
import argparse
import gzip
import json
import math
import os
import pstats
import re
import sys
import tempfile

ADDR = re.compile(r" at 0x[0-9a-fA-F]+")
MEASURES = ("cumtime", "tottime", "ncalls")


def load(files, strip):
    # pstats reads no gzip: a .gz input is decompressed to a temporary first.
    tmp = []
    for i, f in enumerate(files):
        if f.endswith(".gz"):
            with gzip.open(f, "rb") as g, tempfile.NamedTemporaryFile(delete=False) as t:
                t.write(g.read())
            tmp.append(t.name)
            files = files[:i] + [t.name] + files[i + 1:]
    try:
        s = pstats.Stats(*files)
    finally:
        for t in tmp:
            os.unlink(t)
    if strip:
        s.strip_dirs()
    return s


def std_name(func):
    return pstats.func_std_string(func)


def pair_group(bl, nl, shift, pairs):
    """bl, nl: [(line, index)] sorted; the monotone matching of profdiff."""
    nb, nn = len(bl), len(nl)
    # cells: (pairs, cost, how); how 0 pair, 1 skip base, 2 skip new
    t = [[None] * (nn + 1) for _ in range(nb + 1)]
    for i in range(nb + 1):
        for j in range(nn + 1):
            best = (0, 0, 0)
            if i and j:
                c = t[i - 1][j - 1]
                best = (c[0] + 1, c[1] + abs(bl[i - 1][0] + shift - nl[j - 1][0]), 0)
            if i:
                c = t[i - 1][j]
                if not (i and j) or c[0] > best[0] or (c[0] == best[0] and c[1] < best[1]):
                    best = (c[0], c[1], 1)
            if j:
                c = t[i][j - 1]
                if not i or c[0] > best[0] or (c[0] == best[0] and c[1] < best[1]):
                    best = (c[0], c[1], 2)
            t[i][j] = best
    i, j = nb, nn
    while i and j:
        how = t[i][j][2]
        if how == 0:
            pairs.append((bl[i - 1][1], nl[j - 1][1]))
            i, j = i - 1, j - 1
        elif how == 1:
            i -= 1
        else:
            j -= 1


def match(bkeys, nkeys, exact):
    def key(f):
        return f if exact else (f[0], ADDR.sub("", f[2]))
    groups = {}
    for i, f in enumerate(bkeys):
        groups.setdefault(key(f), ([], []))[0].append(i)
    for i, f in enumerate(nkeys):
        groups.setdefault(key(f), ([], []))[1].append(i)
    bmatch, nmatch = {}, {}
    shifts = {}
    for k, (b, n) in groups.items():
        if len(b) == 1 and len(n) == 1:
            bmatch[b[0]] = n[0]
            nmatch[n[0]] = b[0]
            shifts.setdefault(bkeys[b[0]][0], []).append(nkeys[n[0]][1] - bkeys[b[0]][1])
    for k, (b, n) in groups.items():
        if b and n and (len(b) > 1 or len(n) > 1):
            sh = sorted(shifts.get(bkeys[b[0]][0], []))
            shift = sh[(len(sh) - 1) // 2] if sh else 0
            bl = sorted((bkeys[i][1], i) for i in b)
            nl = sorted((nkeys[i][1], i) for i in n)
            pairs = []
            pair_group(bl, nl, shift, pairs)
            for bi, ni in pairs:
                bmatch[bi] = ni
                nmatch[ni] = bi
    return bmatch, nmatch


def side(entry, scale):
    cc, nc, tt, ct = entry[:4]
    return {"ncalls": nc, "primitive_calls": cc, "tottime": tt * scale, "cumtime": ct * scale}


def compute(a):
    base = load(a.base, a.strip_dirs)
    new = load(a.new, a.strip_dirs)
    scale = 1.0
    if a.normalize and base.total_tt > 0 and math.isfinite(new.total_tt):
        scale = new.total_tt / base.total_tt
    bkeys, nkeys = list(base.stats), list(new.stats)
    bmatch, nmatch = match(bkeys, nkeys, a.match == "exact")
    rows = []
    for i, f in enumerate(nkeys):
        r = {"file": f[0], "line": f[1], "name": f[2], "new": side(new.stats[f], 1.0)}
        if i in nmatch:
            bf = bkeys[nmatch[i]]
            r["status"] = "matched"
            if bf[1] != f[1]:
                r["base_line"] = bf[1]
            r["base"] = side(base.stats[bf], scale)
        else:
            r["status"] = "new"
            r["base"] = None
        rows.append(r)
    for i, f in enumerate(bkeys):
        if i not in bmatch:
            rows.append({"file": f[0], "line": f[1], "name": f[2], "status": "removed",
                         "base": side(base.stats[f], scale), "new": None})
    zero = {"ncalls": 0, "primitive_calls": 0, "tottime": 0.0, "cumtime": 0.0}
    for r in rows:
        b, n = r["base"] or zero, r["new"] or zero
        r["delta"] = {"ncalls": n["ncalls"] - b["ncalls"], "tottime": n["tottime"] - b["tottime"],
                      "cumtime": n["cumtime"] - b["cumtime"]}

    def mag(r):
        d = abs(float(r["delta"][a.sort]))
        return 0.0 if math.isnan(d) else d
    rows.sort(key=lambda r: -mag(r))
    out = {
        "scale": scale,
        "base": {"total_time": base.total_tt * scale, "total_calls": base.total_calls,
                 "primitive_calls": base.prim_calls, "functions": len(bkeys), "files": a.base},
        "new": {"total_time": new.total_tt, "total_calls": new.total_calls,
                "primitive_calls": new.prim_calls, "functions": len(nkeys), "files": a.new},
        "functions": rows,
    }
    out["verdict"] = gate(a, out, rows)
    return out


def gate(a, out, rows):
    reasons = []
    bt, nt = out["base"]["total_time"], out["new"]["total_time"]
    dt = nt - bt
    if a.fail_above is not None and dt > 0 and dt >= a.min_time:
        pct = 100.0 * dt / bt if bt > 0 else math.inf
        if pct > a.fail_above:
            reasons.append("total time grew by %.1f%% (%.6f s -> %.6f s), above --fail-above %g%%"
                           % (pct, bt, nt, a.fail_above))
    if a.fail_function_above is not None:
        calls = a.sort == "ncalls"
        whole = float(out["base"]["total_calls"]) if calls else bt
        limit = a.fail_function_above / 100.0 * whole
        over = 0
        for r in rows:
            d = float(r["delta"][a.sort])
            if not (d > limit) or not (d > 0) or (not calls and d < a.min_time):
                continue
            over += 1
            if over > 10:
                continue
            name = std_name((r["file"], r["line"], r["name"]))
            pct = 100.0 * d / whole if whole > 0 else math.inf
            new = "" if r["base"] is not None else " (new)"
            if calls:
                reasons.append("%s: ncalls grew by %.0f%s, %.1f%% of BASE's %d calls, above "
                               "--fail-function-above %g%%"
                               % (name, d, new, pct, out["base"]["total_calls"],
                                  a.fail_function_above))
            else:
                reasons.append("%s: %s grew by %.6f s%s, %.1f%% of BASE's total time, above "
                               "--fail-function-above %g%%"
                               % (name, a.sort, d, new, pct, a.fail_function_above))
        if over > 10:
            reasons.append("... and %d more functions above --fail-function-above %g%%"
                           % (over - 10, a.fail_function_above))
    return {"failed": bool(reasons), "reasons": reasons}


def close(x, y):
    if isinstance(x, float) or isinstance(y, float):
        if math.isnan(x) and math.isnan(y):
            return True
        return x == y or abs(x - y) <= 1e-12 * max(abs(x), abs(y))
    return x == y and type(x) == type(y)


def compare(ref, ours, path="$"):
    """The differences, as 'path: ours != ref' lines (at most 20)."""
    diffs = []

    def walk(r, o, p):
        if len(diffs) >= 20:
            return
        if isinstance(r, dict):
            if not isinstance(o, dict):
                diffs.append("%s: %r is not an object" % (p, o))
                return
            for k in r:
                if k not in o:
                    diffs.append("%s.%s: missing" % (p, k))
                else:
                    walk(r[k], o[k], "%s.%s" % (p, k))
        elif isinstance(r, list):
            if not isinstance(o, list) or len(o) != len(r):
                diffs.append("%s: %d items, reference %d" % (p, len(o) if isinstance(o, list) else -1,
                                                            len(r)))
                return
            for i, (x, y) in enumerate(zip(r, o)):
                walk(x, y, "%s[%d]" % (p, i))
        elif isinstance(r, (int, float)) and not isinstance(r, bool):
            if not close(r, o):
                diffs.append("%s: ours %r, reference %r" % (p, o, r))
        elif r != o:
            diffs.append("%s: ours %r, reference %r" % (p, o, r))
    walk(ref, ours, path)
    # A key present in ours but not in the reference (base_line) is a difference too.
    for i, (r, o) in enumerate(zip(ref.get("functions", []), ours.get("functions", []))):
        if "base_line" in o and "base_line" not in r:
            diffs.append("$.functions[%d].base_line: ours only" % i)
    return diffs


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", action="append", required=True)
    p.add_argument("--new", action="append", required=True)
    p.add_argument("--match", default="name", choices=("name", "exact"))
    p.add_argument("--strip-dirs", action="store_true")
    p.add_argument("--normalize", action="store_true")
    p.add_argument("--sort", default="cumtime", choices=MEASURES)
    p.add_argument("--fail-above", type=float)
    p.add_argument("--fail-function-above", type=float)
    p.add_argument("--min-time", type=float, default=0.0)
    p.add_argument("--check")
    a = p.parse_args()
    ref = compute(a)
    if not a.check:
        json.dump(ref, sys.stdout, indent=1)
        print()
        return 0
    with open(a.check, encoding="utf-8") as f:
        ours = json.load(f)
    diffs = compare(ref, ours)
    for d in diffs:
        print(d)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
