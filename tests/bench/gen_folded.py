# gen_folded.py - a synthetic folded-stacks file for the sampled bench:
#   gen_folded.py SAMPLES FUNCTIONS OUT
# One sample a line (count 1), py-spy's frame shape "name (file:line)", 2-6
# frames a stack: random walks down a fixed call graph (each function calls
# the same four others, the first ones more often) from a few hundred roots,
# executing lines varying within each function (so functions are keyed by
# their smallest line, as the importer must).  The walks reach only about
# three quarters of the functions (the first callees are the hot ones), so
# every (SAMPLES / FUNCTIONS)-th sample ends in the next function of the
# long tail instead: each function is sampled at least once, and the file
# really holds FUNCTIONS functions.  Deterministic (seeded).
import random
import sys


def main():
    n, nf, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(13)
    names = ["f%d (pkg/mod%d.py:" % (i, i % 997) for i in range(nf)]
    first = [10 + (i * 7) % 900 for i in range(nf)]
    # a program's call graph: each function calls the same four others
    callees = [[rng.randrange(nf) for _ in range(4)] for _ in range(nf)]
    roots = list(range(300))
    step = max(1, n // nf)   # a tail sample every step samples
    with open(out, "w") as fp:
        buf = []
        for k in range(n):
            depth = rng.randint(2, 6)
            f = roots[int(len(roots) * rng.random() ** 2)]   # a few hot roots
            frames = []
            for d in range(depth):
                if d == depth - 1 and k % step == 0 and k // step < nf:
                    f = k // step   # the long tail's leaf
                frames.append("%s%d)" % (names[f], first[f] + rng.randint(0, 6)))
                f = callees[f][int(4 * rng.random() ** 2)]
            buf.append(";".join(frames) + " 1\n")
            if len(buf) == 10000:
                fp.write("".join(buf))
                buf = []
        fp.write("".join(buf))


if __name__ == "__main__":
    main()
