"""pprof's top, peek and tree reports computed from pstats.Stats: the reference the
browser's `top`, `peek` and `tree` are checked against (tests/top/run.sh).

  python3 ref.py DUMP COMMAND...      print what `pstatsh -c COMMAND ... DUMP` prints

COMMAND is `top [N] [-cum]`, `tree [N] [-cum]`, `peek RE`, or `granularity functions|files`
(which re-keys the rows for the commands after it, merging them with Stats.add's rules).
Written from pprof's internal/report/report.go (printText, printTree, reportLabels,
newTrimmedGraph, selectOutputUnit) and internal/measurement (Percentage, ScaledLabel),
on pstats' data: flat is tottime, cum is cumtime, an edge's weight its cumtime (for
profile.py's int callers, the callee's cumtime shared by calls); percentages of the
profile's total time (every tottime, added from the largest down); names are
func_std_string's.  Nothing is read from pstatsh.
"""
import pstats
import re
import sys

UNITS = [("ns", 1.0), ("us", 1e3), ("ms", 1e6), ("s", 1e9), ("hrs", 3.6e12)]
SEP = "----------------------------------------------------------+-------------"
LEGEND = "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t "


def pct(v, total):
    r = abs(v / total) * 100.0 if total != 0 else 0.0
    if 99.95 <= r <= 100.05:
        return "  100%"
    return ("%5.2f%%" if r >= 1.0 else "%5.2g%%") % r


def auto_unit(ns):
    u = None
    for i, (_, f) in enumerate(UNITS):
        if abs(ns) / f >= 1.0:
            u = i
    return 3 if u is None else u


def fmt(seconds, unit):
    s = "%.2f" % (seconds * 1e9 / UNITS[unit][1])
    if s.endswith(".00"):
        s = s[:-3]
    if s in ("0", "-0"):
        return "0"
    return s + UNITS[unit][0]


def merge_key(func, level):
    """The row a function goes to at a granularity (pstats' own key for lines)."""
    file, line, name = func
    if level == "files":
        return (file, 0, "<built-in>" if file == "~" else "<file>")
    return func


def regroup(stats, level):
    """Stats.add's sums (add_func_stats, add_callers) over the rows of one key."""
    if level == "lines":
        return stats
    keymap = {}
    if level == "functions":
        low = {}
        for func in list(stats) + [c for v in stats.values() for c in v[4]]:
            k = (func[0], func[2])
            low[k] = min(low.get(k, func[1]), func[1])
        keymap = lambda f: (f[0], low[(f[0], f[2])], f[2])
    else:
        keymap = lambda f: merge_key(f, level)
    out = {}
    for func, (cc, nc, tt, ct, callers) in stats.items():
        new_callers = {}
        for c, v in callers.items():
            k = keymap(c)
            new_callers[k] = pstats.add_callers({k: new_callers[k]}, {k: v})[k] if k in new_callers else v
        k = keymap(func)
        if k in out:
            out[k] = pstats.add_func_stats(out[k], (cc, nc, tt, ct, new_callers))
        else:
            out[k] = (cc, nc, tt, ct, new_callers)
    return out


class Report:
    def __init__(self, stats, total, count, cum):
        self.stats, self.total, self.count, self.cum = stats, total, count, cum
        self.name = {f: pstats.func_std_string(f) for f in stats}
        for v in stats.values():
            for c in v[4]:
                self.name.setdefault(c, pstats.func_std_string(c))
        rows = list(stats)
        if cum:
            rows.sort(key=lambda f: (-abs(stats[f][3]), self.name[f], -abs(stats[f][2])))
        else:
            rows.sort(key=lambda f: (-abs(stats[f][2]), self.name[f], -abs(stats[f][3])))
        self.rows = rows

    def trim(self, count):
        flat = 0.0
        for f in self.rows:
            flat += self.stats[f][2]
        cutoff = abs(flat * 0.005)
        self.edge_cutoff = abs(flat * 0.001)
        kept = [f for f in self.rows if not (cutoff > 0 and abs(self.stats[f][3]) < cutoff)]
        dropped = len(self.rows) - len(kept)
        shown = kept if count <= 0 else kept[:count]
        return kept, shown, dropped

    def select_unit(self, shown):
        lo, hi = 0.0, abs(self.total) * 1e9
        for f in shown:
            v = abs(self.stats[f][2]) * 1e9
            if v == 0.0:
                v = abs(self.stats[f][3]) * 1e9
            if v > 0.0 and (lo == 0.0 or v < lo):
                lo = v
        if lo == 0.0:
            lo = hi
        ulo, uhi = auto_unit(lo), auto_unit(hi)
        self.unit = auto_unit(100.0 * lo) if ulo != uhi and lo * 100.0 < hi else ulo

    def labels(self, out, shown, orig, dropped):
        flat = 0.0
        for f in shown:
            flat += self.stats[f][2]
        out.append("Showing nodes accounting for %s, %s of %s total" % (
            fmt(flat, self.unit), pct(flat, self.total).strip(), fmt(self.total, self.unit)))
        if self.total == 0:
            return
        if dropped:
            out.append("Dropped %d node%s (cum <= %s)" % (dropped, "s" if dropped > 1 else "",
                                                         fmt(abs(self.total * 0.005), self.unit)))
        if 0 < len(shown) < orig:
            out.append("Showing top %d nodes out of %d" % (len(shown), orig))

    def top(self, out):
        kept, shown, dropped = self.trim(self.count)
        self.select_unit(shown)
        self.labels(out, shown, len(kept), dropped)
        out.append("%10s %5s%% %5s%% %10s %5s%%" % ("flat", "flat", "sum", "cum", "cum"))
        s = 0.0
        for f in shown:
            tt, ct = self.stats[f][2], self.stats[f][3]
            s += tt
            out.append("%10s %s %s %10s %s  %s" % (fmt(tt, self.unit), pct(tt, self.total),
                       pct(s, self.total), fmt(ct, self.unit), pct(ct, self.total), self.name[f]))

    def edge(self, callee, value):
        if isinstance(value, tuple):
            return value[3], value[0], value[1]
        nc = self.stats[callee][1]
        return (self.stats[callee][3] * (value / nc) if nc > 0 else 0.0), value, value

    def arcs(self, out, arcs, cum, trimmed):
        arcs.sort(key=lambda a: (-abs(a[0]), a[3]))
        for w, nc, cc, name in arcs:
            if trimmed and abs(w) < self.edge_cutoff:
                continue
            calls = "%d/%d" % (nc, cc) if nc != cc else "%d" % nc
            out.append("%50s %s |   %s (%s call%s)" % (fmt(w, self.unit), pct(w, cum), name, calls,
                                                      "" if nc == 1 and cc == 1 else "s"))

    def tree(self, out, peek=None):
        if peek is None:
            kept, shown, dropped = self.trim(self.count)
            keep = set(kept)
            orig = len(kept)
        else:
            shown, dropped, keep, orig = self.rows, 0, None, len(self.rows)
        self.select_unit(shown)
        self.labels(out, shown, orig, dropped)
        out.append(SEP)
        out.append(LEGEND)
        callees = {}
        for g, v in self.stats.items():
            for f, value in v[4].items():
                callees.setdefault(f, []).append((g, value))
        rx = re.compile(peek) if peek is not None else None
        s = 0.0
        matched = 0
        for f in shown:
            if rx and not rx.search(self.name[f]):
                continue
            matched += 1
            cc_, nc_, tt, ct, callers = self.stats[f]
            out.append(SEP)
            ins = []
            for c, value in callers.items():
                if keep is not None and c not in keep:
                    continue
                w, nc, cc = self.edge(f, value)
                ins.append((w, nc, cc, self.name[c]))
            self.arcs(out, ins, ct, keep is not None)
            s += tt
            out.append("%10s %s %s %10s %s                | %s" % (
                fmt(tt, self.unit), pct(tt, self.total), pct(s, self.total), fmt(ct, self.unit),
                pct(ct, self.total), self.name[f]))
            outs = []
            for g, value in callees.get(f, []):
                if keep is not None and g not in keep:
                    continue
                w, nc, cc = self.edge(g, value)
                outs.append((w, nc, cc, self.name[g]))
            self.arcs(out, outs, ct, keep is not None)
        if shown:
            out.append(SEP)


def main():
    st = pstats.Stats(sys.argv[1])
    stats, level = st.stats, "lines"
    out = []
    for cmd in sys.argv[2:]:
        words = cmd.split()
        if words[0] == "granularity":
            level = words[1]
            stats = regroup(st.stats, level)
            continue
        # pprof's total, of every sample whatever the granularity: the tottimes added from
        # the largest down (a sum that does not depend on the dump's order)
        total = 0.0
        for tt in sorted((v[2] for v in st.stats.values()), reverse=True):
            total += tt
        if words[0] == "peek":
            Report(stats, total, 0, False).tree(out, cmd.split(None, 1)[1])
            continue
        count, cum = 10, False
        for w in words[1:]:
            if w == "-cum":
                cum = True
            else:
                count = int(w)
        r = Report(stats, total, count, cum)
        r.top(out) if words[0] == "top" else r.tree(out)
    sys.stdout.write("".join(line + "\n" for line in out))


main()
