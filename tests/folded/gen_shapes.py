#!/usr/bin/env python3
"""Profile dumps of extreme call-graph shapes, for prof2folded's explicit stack.

usage: gen_shapes.py SHAPE N OUT
  chain  f0 -> f1 -> ... -> fN-1, the time at the bottom (depth N)
  ring   the chain closed into one cycle of N functions (a single SCC, no root)
  star   f0 calls the N-1 others
  fan    f0 -> f1 -> ... : every function also calls every later one of the
         next 4 (a deep DAG with many paths)
Times are consistent (ct = tt + sum of callee edge ct) except in the ring."""
import marshal
import sys


def key(i):
    return ("/shapes/m%d.py" % (i // 1000), 1 + i % 1000, "f%d" % i)


def main():
    shape, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    tt = [1e-6] * n
    edges = {}  # (caller, callee) -> ncalls
    if shape in ("chain", "ring"):
        for i in range(n - 1):
            edges[(i, i + 1)] = 1
        if shape == "ring":
            edges[(n - 1, 0)] = 1
        tt[n - 1] = 1.0
    elif shape == "star":
        for i in range(1, n):
            edges[(0, i)] = 1
    elif shape == "fan":
        for i in range(n):
            for j in range(i + 1, min(n, i + 5)):
                edges[(i, j)] = 1
    else:
        sys.exit(__doc__)
    callers = {}
    callees = {}
    for (a, b) in edges:
        callers.setdefault(b, []).append(a)
        callees.setdefault(a, []).append(b)
    # cumulative time bottom-up (callees have larger indices except the ring's back edge)
    ct = [0.0] * n
    ect = {}
    for f in range(n - 1, -1, -1):
        ct[f] = tt[f] + sum(ect.get((f, g), 0.0) for g in callees.get(f, []) if g > f)
        cs = [a for a in callers.get(f, []) if a < f]
        for a in cs:
            ect[(a, f)] = ct[f] / len(cs)
    if shape == "ring":
        ect[(n - 1, 0)] = ct[0]
    stats = {}
    for f in range(n):
        cd = {key(a): (1, 1, tt[f] * ect[(a, f)] / ct[f], ect[(a, f)]) for a in callers.get(f, [])}
        stats[key(f)] = (1, 1, tt[f], ct[f], cd)
    with open(out, "wb") as fp:
        marshal.dump(stats, fp)


if __name__ == "__main__":
    main()
