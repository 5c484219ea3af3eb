# A second small program for profmerge's tests: none of its functions is in
# work.py, so its profile.py dump shares no edge with work.py's cProfile dumps
# (CPython merges the two, with int and tuple callers side by side).
import sys


def walk(tree, depth):
    if depth == 0:
        return [tree]
    return [leaf for child in (tree * 2, tree * 2 + 1) for leaf in walk(child, depth - 1)]


def total(n):
    return sum(len(walk(i, 4)) for i in range(n))


if __name__ == '__main__':
    import profile
    p = profile.Profile()
    p.runcall(total, int(sys.argv[2]))
    p.dump_stats(sys.argv[1])
