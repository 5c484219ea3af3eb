# sref.py - an independent reference for the sampled importers: reads the
# samplers' files with plain Python (its own parsers, written from the
# formats' descriptions, not from the C code), computes the pstats view from
# the raw stacks, and checks what the toolkit produced.
#
#   sref.py stats FORMAT INPUT DUMP [--threads] [--lines] [--interval S]
#       DUMP is `pstatsh INPUT -c 'dump DUMP'`; it is loaded with CPython's
#       pstats and every function and caller edge is compared with the
#       reference: ncalls = primitive calls = samples holding f; tottime =
#       weight of samples whose leaf is f; cumtime = weight of samples holding
#       f (once per sample); edge g->f: samples/weight where g calls f
#       directly (once per sample), its tottime where f is the leaf.
#   sref.py folded FORMAT INPUT FOLDED [--threads] [--interval S]
#       FOLDED is prof2folded's output: the same stacks as the input (each
#       frame "name (file:line)" with the function's key line), with counts
#       equal to the weight in microseconds (weights in proportion).
# Prints "ok" or the differences (exit 1).
import ast
import math
import sys

try:
    import pstats
except ImportError:   # pragma: no cover
    pstats = None


def split_folded_frame(t):
    """-> (file, name, line, is_thread)"""
    if t.startswith("tid:") and t[4:].isdigit():
        return ("~", "<thread %s>" % t[4:], 0, True)
    if t.startswith("thread ("):
        k = t.find(")")
        tid = t[8:k]
        if k > 8 and all(c in "0123456789abcdefABCDEFxX" for c in tid):
            return ("~", "<thread %s>" % tid, 0, True)
    if t.endswith(")") and " (" in t:
        name, rest = t.split(" (", 1)
        inner = rest[:-1]
        f, sep, line = inner.rpartition(":")
        if sep and line.isdigit():
            return (f, name, int(line), False)
        return (inner, name, 0, False)
    f, sep, line = t.rpartition(":")
    if sep and line.isdigit() and ":" in f:
        file, _, name = f.rpartition(":")
        return (file, name, int(line), False)
    return ("~", t, 0, False)


def read_folded(path, interval, threads):
    samples, idle = [], 0
    with open(path, encoding="utf-8", errors="surrogateescape") as fp:
        for raw in fp:
            line = raw.rstrip("\r\n").rstrip(" \t")
            if not line:
                continue
            stack, count = line.rsplit(" ", 1)
            count = int(count)
            stack = stack.rstrip(" ")
            if stack == "None":
                idle += count
                continue
            frames = []
            for t in stack.split(";"):
                if t == "":
                    continue
                f = split_folded_frame(t)
                if f[3] and not threads:
                    continue
                frames.append(f[:3])
            samples.append((frames, count * interval, count))
    return samples, idle


def read_austin(path, threads):
    samples, idle, mode = [], 0, "wall"
    with open(path, encoding="utf-8", errors="surrogateescape") as fp:
        for raw in fp:
            line = raw.rstrip("\r\n").rstrip(" \t")
            if not line:
                continue
            if line.startswith("#"):
                k, _, v = line[1:].partition(":")
                if k.strip() == "mode":
                    mode = v.strip()
                continue
            parts = line.split(" ")
            # Austin 1.x -f: "time +mem -mem"
            tail = parts[-3:]
            if line.startswith("Thread ") and len(parts) > 4 and all(
                    p.lstrip("-").isdigit() for p in tail):
                head = " ".join(parts[:-3])
                weight, is_idle = int(tail[0]) * 1e-6, False
            else:
                head, metric = line.rsplit(" ", 1)
                if "," in metric or mode == "full":
                    t, i, _ = metric.split(",")
                    weight, is_idle = int(t) * 1e-6, i == "1"
                else:
                    weight = int(metric) if mode == "memory" else int(metric) * 1e-6
                    is_idle = False
            fields = head.split(";")
            if fields[0].startswith("Thread "):
                tid, rest, v3 = fields[0][7:], fields[1:], False
            else:
                tid, rest, v3 = fields[0] + " " + fields[1], fields[2:], True
            frames = [("~", "<thread %s>" % tid, 0)] if threads else []
            nreal = 0
            i = 0
            while i < len(rest):
                t = rest[i]
                i += 1
                if v3:
                    file, name_line = t.rsplit(":", 2)[0], t.rsplit(":", 2)[1:]
                    frames.append((file, name_line[0], int(name_line[1] or 0)))
                else:
                    name, inner = t.split(" (", 1)
                    inner = inner[:-1]
                    line_no = 0
                    if i < len(rest) and rest[i].startswith("L") and rest[i][1:].isdigit():
                        line_no = int(rest[i][1:])
                        i += 1
                    else:
                        f, sep, ln = inner.rpartition(":")
                        if sep and ln.isdigit():
                            inner, line_no = f, int(ln)
                    frames.append((inner, name, line_no))
                nreal += 1
            if is_idle or nreal == 0:
                idle += 1
                continue
            samples.append((frames, weight, 1))
    return samples, idle


def read_plop(path, interval):
    with open(path, encoding="utf-8") as fp:
        d = ast.literal_eval(fp.read())
    samples, idle = [], 0
    for stack, count in d.items():
        frames = [(f, n, line) for (f, line, n) in reversed(stack)]
        if not frames:
            idle += count
            continue
        samples.append((frames, count * interval, count))
    return samples, idle


def keyed(samples, lines):
    """Frames (file, name, line) -> function keys (file, keyline, name)."""
    minline = {}
    for frames, _, _ in samples:
        for f, n, l in frames:
            k = (f, n, l) if lines else (f, n)
            if l and (k not in minline or not minline[k] or l < minline[k]):
                minline[k] = l
            minline.setdefault(k, l)
    out = []
    for frames, w, c in samples:
        fs = []
        for f, n, l in frames:
            k = (f, n, l) if lines else (f, n)
            fs.append((f, minline[k], n))
        out.append((fs, w, c))
    return out


def reference(samples):
    st = {}
    for fs, w, c in samples:
        seen, edges = set(), set()
        for j, f in enumerate(fs):
            e = st.setdefault(f, [0, 0, 0.0, 0.0, {}])
            if f not in seen:
                seen.add(f)
                e[0] += c
                e[1] += c
                e[3] += w
            if j:
                g = fs[j - 1]
                x = e[4].setdefault(g, [0, 0, 0.0, 0.0])
                if (g, f) not in edges:
                    edges.add((g, f))
                    x[0] += c
                    x[1] += c
                    x[3] += w
                if j == len(fs) - 1:
                    x[2] += w
        st[fs[-1]][2] += w
    return st


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def cmp_stats(ref, got):
    errs = []
    if set(ref) != set(got):
        errs.append("functions: only in reference %s; only in ours %s" %
                    (sorted(set(ref) - set(got))[:5], sorted(set(got) - set(ref))[:5]))
    for k in ref:
        if k not in got:
            continue
        r, g = ref[k], got[k]
        if r[0] != g[0] or r[1] != g[1] or not close(r[2], g[2]) or not close(r[3], g[3]):
            errs.append("%s: reference %s, ours %s" % (k, r[:4], g[:4]))
        if set(r[4]) != set(g[4]):
            errs.append("%s callers: reference %s, ours %s" % (k, sorted(r[4]), sorted(g[4])))
            continue
        for c in r[4]:
            a, b = r[4][c], g[4][c]
            if a[0] != b[0] or a[1] != b[1] or not close(a[2], b[2]) or not close(a[3], b[3]):
                errs.append("%s <- %s: reference %s, ours %s" % (k, c, a, b))
    return errs


def label(f):
    file, line, name = f
    clean = lambda s: "".join("," if ch == ";" else "?" if ord(ch) < 0x20 or ord(ch) == 0x7f
                              else ch for ch in s)
    if line == 0 and file in ("~", ""):
        return clean(name)
    return "%s (%s:%d)" % (clean(name), clean(file), line)


def main(argv):
    mode, fmt, inp, out = argv[:4]
    threads = "--threads" in argv
    lines = "--lines" in argv
    interval = float(argv[argv.index("--interval") + 1]) if "--interval" in argv else 0.01
    if fmt == "folded":
        samples, idle = read_folded(inp, interval, threads)
    elif fmt == "austin":
        samples, idle = read_austin(inp, threads)
    elif fmt == "plop":
        samples, idle = read_plop(inp, interval)
    else:
        raise SystemExit("unknown format " + fmt)
    samples = keyed(samples, lines)
    errs = []
    if mode == "stats":
        ref = reference(samples)
        got = {k: [v[0], v[1], v[2], v[3], {c: list(x) for c, x in v[4].items()}]
               for k, v in pstats.Stats(out).stats.items()}
        errs = cmp_stats(ref, got)
    else:
        want = {}
        for fs, w, c in samples:
            key = ";".join(label(f) for f in fs)
            want[key] = want.get(key, 0.0) + w
        want = {k: round(v * 1e6) for k, v in want.items() if round(v * 1e6) > 0}
        got = {}
        with open(out, encoding="utf-8", errors="surrogateescape") as fp:
            for line in fp:
                k, c = line.rstrip("\n").rsplit(" ", 1)
                if k in got:
                    errs.append("stack written twice: " + k[:100])
                got[k] = int(c)
        if set(want) != set(got):
            errs.append("stacks: %d only in the input, %d only in the output; e.g. %s" % (
                len(set(want) - set(got)), len(set(got) - set(want)),
                (sorted(set(want) ^ set(got)) or [""])[0][:200]))
        for k in set(want) & set(got):
            if want[k] != got[k]:
                errs.append("%s: weight %d us, written %d" % (k[:100], want[k], got[k]))
    if errs:
        print("\n".join(errs[:10]))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
