# folded_to_pstats.py - the obvious Python converter the sampled bench
# compares with: read a folded-stacks file line by line, sum tottime, cumtime
# (once per sample) and caller edges into dicts, keyed by (file, name) with
# the smallest line, then print the 20 functions of highest cumtime.
#   folded_to_pstats.py FILE [INTERVAL]
import sys


def main():
    path = sys.argv[1]
    interval = float(sys.argv[2]) if len(sys.argv) > 2 else 0.01
    stats = {}    # (file, name) -> [nsamples, tottime, cumtime, minline, callers]
    with open(path) as fp:
        for line in fp:
            stack, count = line.rstrip("\n").rsplit(" ", 1)
            count = int(count)
            w = count * interval
            keys = []
            for frame in stack.split(";"):
                name, rest = frame.split(" (", 1)
                file, _, lineno = rest[:-1].rpartition(":")
                key = (file, name)
                st = stats.get(key)
                if st is None:
                    st = stats[key] = [0, 0.0, 0.0, int(lineno), {}]
                elif int(lineno) < st[3]:
                    st[3] = int(lineno)
                keys.append(key)
            seen = set()
            edges = set()
            for i, key in enumerate(keys):
                st = stats[key]
                if key not in seen:
                    seen.add(key)
                    st[0] += count
                    st[2] += w
                if i:
                    e = (keys[i - 1], key)
                    c = st[4].setdefault(keys[i - 1], [0, 0.0, 0.0])
                    if e not in edges:
                        edges.add(e)
                        c[0] += count
                        c[2] += w
                    if i == len(keys) - 1:
                        c[1] += w
            stats[keys[-1]][1] += w
    top = sorted(stats.items(), key=lambda kv: -kv[1][2])[:20]
    for (file, name), (n, tt, ct, line, _) in top:
        print("%9d %8.3f %8.3f %s:%d(%s)" % (n, tt, ct, file, line, name))


if __name__ == "__main__":
    main()
