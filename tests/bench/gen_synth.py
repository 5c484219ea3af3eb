"""Synthetic pstats dump generator (a call graph of N functions and E edges, the
shape gprof2dot's own benchmark uses), reproducible with seed 12345.

usage: python3 gen_synth.py N E OUT [skew]
  N     number of functions (key 0 is the only root, '/synth/app/main.py:1(<module>)')
  E     number of caller->callee edges (>= N-1)
  OUT   output file (marshal.dump of the stats dict, default marshal version)
  skew  optional: few functions near the top, Pareto self times, skewed time splits

Model: every 50th key is a builtin ('~', 0, '<built-in method synth.bI>'), the others
('/synth/pkgA/modB.py', 1 + 7I mod 3000, 'func_I') spread over N/40 modules.  Levels 1..40:
level = 1 + floor(u**p * 40), p = 0.7 (uniform) or 0.3 (skew).  Every non-root function
gets one caller from a shallower level; extra random edges are added until E: 1 % back
edges (caller at the same or a deeper level, making cycles), 0.2 % self edges, the rest
downward.  Self time: Exp(1) ms (uniform) or 10 us * Pareto(1.1) capped at 1 s (skew).
Deepest level first, ct(f) = tt(f) + the cumulative time of its downward callee edges; ct(f)
is split among its downward callers with random weights (u, or u**3 for skew); back and self
edges get 1 % of ct(f).  Edge (nc, cc, tt, ct): nc = U(1..2000) with probability 0.3 else
U(1..20), cc = nc except self edges (cc = 0), tt = tt(f) * edge ct / ct(f).  Entry:
(cc, nc, tt, ct, callers) with nc = sum of edge nc, cc = sum of edge cc (at least 1); the root
has nc = cc = 1.  The sum of all tt equals the root's ct (consistent totals).
"""
import marshal
import os
import sys
import random

LEVELS = 40


def main(argv):
    if len(argv) < 4 or (len(argv) > 4 and argv[4] != 'skew'):
        sys.exit(__doc__)
    n, e, out = int(argv[1]), int(argv[2]), argv[3]
    skew = len(argv) > 4
    if n < 2 or e < n - 1:
        sys.exit('gen_synth.py: need N >= 2 and E >= N - 1')
    # GEN_SYNTH_SEED: another seed gives the same functions with other edges and times.
    rng = random.Random(int(os.environ.get('GEN_SYNTH_SEED', '12345')))
    rand = rng.random

    # keys
    nmod = max(1, n // 40)
    keys = [('/synth/app/main.py', 1, '<module>')]
    for i in range(1, n):
        if i % 50 == 0:
            keys.append(('~', 0, '<built-in method synth.b%d>' % i))
        else:
            m = i % nmod
            keys.append(('/synth/pkg%d/mod%d.py' % (m // 50, m % 50),
                         1 + (7 * i) % 3000, 'func_%d' % i))

    # levels; functions sorted by level so "a random function at level < L" is a prefix
    p = 0.3 if skew else 0.7
    level = [0] * n
    for i in range(1, n):
        level[i] = min(LEVELS, 1 + int(rand() ** p * LEVELS))
    order = sorted(range(n), key=lambda i: level[i])
    below = [0] * (LEVELS + 2)      # below[L] = number of functions with level < L
    for i in range(n):
        below[level[i] + 1] += 1
    for L in range(1, LEVELS + 2):
        below[L] += below[L - 1]

    # self times
    tt = [0.0] * n
    for i in range(n):
        if skew:
            tt[i] = min(1.0, rng.paretovariate(1.1) * 10e-6)
        else:
            tt[i] = rng.expovariate(1.0) * 1e-3

    # edges: callee -> list of downward callers / list of (caller, kind) for back/self
    down = [[] for _ in range(n)]
    other = [[] for _ in range(n)]
    seen = set()
    for f in range(1, n):
        c = order[rng.randrange(below[level[f]])]
        down[f].append(c)
        seen.add(c * n + f)
    edges = n - 1
    while edges < e:
        r = rand()
        f = rng.randrange(1, n)
        if r < 0.002:
            c, kind = f, 's'
        elif r < 0.012:
            lo = below[level[f]]
            c = order[rng.randrange(lo, n)]
            if c == f:
                continue
            kind = 'b'
        else:
            c = order[rng.randrange(below[level[f]])]
            kind = 'd'
        k = c * n + f
        if k in seen:
            continue
        seen.add(k)
        if kind == 'd':
            down[f].append(c)
        else:
            other[f].append((c, kind))
        edges += 1
    del seen

    # cumulative times, deepest level first; share[f][j] = ct of edge down[f][j] -> f
    acc = [0.0] * n
    ct = [0.0] * n
    share = [None] * n
    for f in reversed(order):
        ct[f] = tt[f] + acc[f]
        cs = down[f]
        if not cs:
            continue
        if skew:
            w = [rand() ** 3 for _ in cs]
        else:
            w = [rand() for _ in cs]
        tot = sum(w) or 1.0
        s = [ct[f] * x / tot for x in w]
        share[f] = s
        for c, x in zip(cs, s):
            acc[c] += x

    def ncalls():
        if rand() < 0.3:
            return rng.randint(1, 2000)
        return rng.randint(1, 20)

    stats = {}
    for f in range(n):
        callers = {}
        tnc = tcc = 0
        ctf = ct[f]
        ratio = tt[f] / ctf if ctf else 0.0
        if share[f] is not None:
            for c, x in zip(down[f], share[f]):
                k = ncalls()
                callers[keys[c]] = (k, k, ratio * x, x)
                tnc += k
                tcc += k
        for c, kind in other[f]:
            k = ncalls()
            cc = 0 if kind == 's' else k
            x = 0.01 * ctf
            callers[keys[c]] = (k, cc, ratio * x, x)
            tnc += k
            tcc += cc
        if f == 0:
            tnc = tcc = 1
        stats[keys[f]] = (max(tcc, 1), max(tnc, 1), tt[f], ctf, callers)

    with open(out, 'wb') as fh:
        marshal.dump(stats, fh)


if __name__ == '__main__':
    main(sys.argv)
