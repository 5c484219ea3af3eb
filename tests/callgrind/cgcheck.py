#!/usr/bin/env python3
"""Read callgrind files the way the readers do (name compression, the called
file reset after each cfn=) and check or compare them.

  cgcheck.py strict FILE            our file: header order, totals, ids
  cgcheck.py same OURS GOLDEN       same functions, self costs, calls and call costs
  cgcheck.py drop KEEP DROP         DROP has KEEP's functions and self costs and
                                    exactly its calls that are not inside a cycle
  cgcheck.py double ONE TWO         TWO is ONE merged with itself: call counts
                                    doubled, costs doubled within truncation
  cgcheck.py annotate OURS GOLDEN   callgrind_annotate's per-function self totals
                                    (its output files) are equal
  cgcheck.py incl100 ANNOTATED      callgrind_annotate --inclusive=yes output has
                                    no function above 100 %

Prints one line per problem and exits 1 if there was any."""
import re
import sys


def parse(path):
    names = {"fl": {}, "fn": {}}
    header = []          # (key, line number) of header lines in order
    fns = {}             # (file, fn) -> self cost
    order = []           # (file, fn) of the blocks, in file order
    calls = {}           # (caller, callee) -> [count, cost]
    problems = []
    totals = summary = None
    cur_file = cur_fn = None
    cfile = None
    callee = None
    pending_calls = None
    first_lines = []

    def uncompress(kind, text, lineno):
        m = re.match(r"^\((\d+)\)\s*(.*)$", text)
        if not m:
            return text
        idx, name = int(m.group(1)), m.group(2)
        table = names[kind]
        if name:
            if idx in table and table[idx] != name:
                problems.append("line %d: id (%d) redefined" % (lineno, idx))
            table[idx] = name
            return name
        if idx not in table:
            problems.append("line %d: undefined id (%d)" % (lineno, idx))
            return "?"
        return table[idx]

    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if len(first_lines) < 2:
                first_lines.append(line)
            if not line.strip():
                continue
            if line.startswith("#"):
                continue
            m = re.match(r"^(version|creator|positions|event|events|summary|totals|cmd):\s*(.*)$", line)
            if m:
                header.append((m.group(1), lineno))
                if m.group(1) == "summary":
                    summary = int(m.group(2))
                elif m.group(1) == "totals":
                    totals = int(m.group(2))
                continue
            if line.startswith("fl="):
                cur_file = uncompress("fl", line[3:], lineno)
            elif line.startswith("fn="):
                cur_fn = (cur_file, uncompress("fn", line[3:], lineno))
                fns.setdefault(cur_fn, 0)
                order.append(cur_fn)
            elif line.startswith("cfl=") or line.startswith("cfi="):
                cfile = uncompress("fl", line[4:], lineno)
            elif line.startswith("cfn="):
                callee = (cfile if cfile is not None else cur_file,
                          uncompress("fn", line[4:], lineno))
                cfile = None
            elif line.startswith("calls="):
                parts = line[6:].split()
                pending_calls = int(parts[0])
            elif re.match(r"^-?\d", line):
                parts = line.split()
                cost = int(parts[1]) if len(parts) > 1 else 0
                if pending_calls is not None:
                    c = calls.setdefault((cur_fn, callee), [0, 0])
                    c[0] += pending_calls
                    c[1] += cost
                    pending_calls = None
                else:
                    fns[cur_fn] = fns.get(cur_fn, 0) + cost
            else:
                problems.append("line %d: not understood: %r" % (lineno, line[:80]))
    return {"header": header, "fns": fns, "calls": calls, "totals": totals, "order": order,
            "summary": summary, "problems": problems, "first": first_lines}


def strict(path):
    p = parse(path)
    probs = list(p["problems"])
    if p["first"][:2] != ["# callgrind format", "version: 1"]:
        probs.append("first lines are not '# callgrind format' / 'version: 1'")
    keys = [k for k, _ in p["header"]]
    for k in ("creator", "positions", "events", "summary", "totals"):
        if k not in keys:
            probs.append("no %s: line" % k)
    if "events" in keys and "summary" in keys and keys.index("summary") < keys.index("events"):
        probs.append("summary: before events:")
    self_sum = sum(p["fns"].values())
    if p["totals"] != self_sum:
        probs.append("totals: %s != sum of self costs %d" % (p["totals"], self_sum))
    if p["summary"] is None or p["totals"] is None or p["summary"] < p["totals"]:
        probs.append("summary: %s < totals: %s" % (p["summary"], p["totals"]))
    for (caller, callee), (n, cost) in p["calls"].items():
        if n <= 0:
            probs.append("call %s -> %s: count %d" % (caller, callee, n))
    return probs


def same(ours, golden):
    a, b = parse(ours), parse(golden)
    probs = list(a["problems"]) + ["golden: " + x for x in b["problems"]]
    fa, fb = a["fns"], b["fns"]
    for k in sorted(set(fa) | set(fb)):
        if k not in fa:
            probs.append("function missing: %s:%s" % k)
        elif k not in fb:
            probs.append("function extra: %s:%s" % k)
        elif fa[k] != fb[k]:
            probs.append("self cost of %s:%s: %d, pyprof2calltree %d" % (k + (fa[k], fb[k])))
    if not probs and a["order"] != b["order"]:
        probs.append("blocks are not in pyprof2calltree's order")
    ca, cb = a["calls"], b["calls"]
    for k in sorted(set(ca) | set(cb)):
        if k not in ca:
            probs.append("call missing: %s -> %s" % k)
        elif k not in cb:
            probs.append("call extra: %s -> %s" % k)
        elif ca[k] != cb[k]:
            probs.append("call %s -> %s: %s, pyprof2calltree %s" % (k[0], k[1], ca[k], cb[k]))
    return probs


def annotate_table(path):
    """Per-function rows of callgrind_annotate's output: name -> cost."""
    rows, in_table = {}, False
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            if re.match(r"^ns\s+file:function", line):
                in_table = True
                continue
            if in_table:
                m = re.match(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$", line.rstrip("\n"))
                if m:
                    rows[m.group(2)] = int(m.group(1).replace(",", ""))
                elif line.startswith("---") and rows:
                    break
    return rows


def annotate(ours, golden):
    a, b = annotate_table(ours), annotate_table(golden)
    probs = []
    if not b:
        probs.append("no function rows in %s" % golden)
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            probs.append("callgrind_annotate self total of %s: %s, pyprof2calltree %s"
                         % (k, a.get(k), b.get(k)))
    return probs


def sccs(calls):
    """Component id of every function of a call dict (iterative Tarjan)."""
    succ = {}
    for (a, b) in calls:
        succ.setdefault(a, []).append(b)
        succ.setdefault(b, [])
    index, low, comp, onstack, stack = {}, {}, {}, set(), []
    counter = 0
    for root in succ:
        if root in index:
            continue
        work = [(root, iter(succ[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        onstack.add(root)
        while work:
            v, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    onstack.add(nxt)
                    work.append((nxt, iter(succ[nxt])))
                elif nxt in onstack:
                    low[v] = min(low[v], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    onstack.discard(w)
                    comp[w] = v
                    if w == v:
                        break
    return comp


def drop(keep, dropped):
    a, b = parse(keep), parse(dropped)
    probs = list(a["problems"]) + list(b["problems"])
    if a["fns"] != b["fns"]:
        probs.append("functions or self costs differ between keep and drop")
    comp = sccs(a["calls"])
    want = {k: v for k, v in a["calls"].items() if comp[k[0]] != comp[k[1]]}
    if want != b["calls"]:
        extra = set(b["calls"]) - set(want)
        missing = set(want) - set(b["calls"])
        probs.append("drop calls differ: %d extra (e.g. %s), %d missing (e.g. %s)"
                     % (len(extra), next(iter(extra), None), len(missing), next(iter(missing), None)))
    if len(want) == len(a["calls"]) and "drop-must-differ" in sys.argv:
        probs.append("no call was dropped")
    return probs


def double(one, two):
    a, b = parse(one), parse(two)
    probs = list(a["problems"]) + list(b["problems"])
    if set(a["fns"]) != set(b["fns"]):
        probs.append("function sets differ")
    for k, v in a["fns"].items():
        if abs(b["fns"].get(k, -10) - 2 * v) > 1:
            probs.append("self cost of %s: %s, not 2 x %d" % (k, b["fns"].get(k), v))
    if set(a["calls"]) != set(b["calls"]):
        probs.append("call sets differ")
    for k, (n, c) in a["calls"].items():
        n2, c2 = b["calls"].get(k, (0, 0))
        if n2 != 2 * n or abs(c2 - 2 * c) > 1:
            probs.append("call %s -> %s: %s, not 2 x %s" % (k[0], k[1], (n2, c2), (n, c)))
    return probs


def incl100(path):
    probs = []
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            m = re.match(r"^\s*[\d,]+\s+\(\s*([\d.]+)%\)\s+(.*)$", line.rstrip("\n"))
            if m and float(m.group(1)) > 100.0:
                probs.append("inclusive %s%% for %s" % (m.group(1), m.group(2)))
    return probs


def main():
    mode = sys.argv[1]
    if mode == "strict":
        probs = strict(sys.argv[2])
    elif mode == "same":
        probs = same(sys.argv[2], sys.argv[3])
    elif mode == "drop":
        probs = drop(sys.argv[2], sys.argv[3])
    elif mode == "double":
        probs = double(sys.argv[2], sys.argv[3])
    elif mode == "incl100":
        probs = incl100(sys.argv[2])
    elif mode == "annotate":
        probs = annotate(sys.argv[2], sys.argv[3])
    else:
        print("unknown mode", mode)
        return 2
    for x in probs[:20]:
        print(x)
    if len(probs) > 20:
        print("... %d more" % (len(probs) - 20))
    return 1 if probs else 0


if __name__ == "__main__":
    sys.exit(main())
