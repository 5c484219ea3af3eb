#!/usr/bin/env python3
"""Checks of folded-stack files (prof2folded output).

  fcheck.py format FILE            every line "frames COUNT": positive integer count,
                                   no empty frame, lines sorted bytewise, no duplicate
                                   stacks; prints the sum of the counts
  fcheck.py near A B TOL           |A - B| <= TOL (numbers)
  fcheck.py roots FILE NAME...     every stack starts with one of the NAMEs
  fcheck.py depth FILE N           no stack deeper than N frames
  fcheck.py pysum DUMP UNIT        sum of tottime by CPython's pstats, in UNIT per s
"""
import re
import sys


def lines_of(path):
    with open(path, "rb") as f:
        return f.read().split(b"\n")[:-1]


def fmt(path):
    probs, total, prev = [], 0, None
    for i, raw in enumerate(lines_of(path), 1):
        m = re.match(rb"^(.*\S) ([0-9]+)$", raw)
        if not m:
            probs.append("line %d: not 'stack count': %r" % (i, raw[:80]))
            continue
        stack, count = m.group(1), int(m.group(2))
        if count <= 0:
            probs.append("line %d: count %d" % (i, count))
        if any(not fr.strip() for fr in stack.split(b";")):
            probs.append("line %d: empty frame" % i)
        if prev is not None and stack <= prev:
            probs.append("line %d: not sorted or duplicate" % i)
        prev = stack
        total += count
    for p in probs[:10]:
        print(p, file=sys.stderr)
    print(total)
    return 1 if probs else 0


def main():
    mode = sys.argv[1]
    if mode == "format":
        return fmt(sys.argv[2])
    if mode == "near":
        a, b, tol = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
        if abs(a - b) > tol:
            print("%s and %s differ by more than %s" % (a, b, tol))
            return 1
        return 0
    if mode == "roots":
        names = [n.encode() for n in sys.argv[3:]]
        bad = [l for l in lines_of(sys.argv[2]) if l.rsplit(b" ", 1)[0].split(b";")[0] not in names]
        for l in bad[:5]:
            print("root not expected: %r" % l[:100])
        return 1 if bad else 0
    if mode == "depth":
        n = int(sys.argv[3])
        bad = [l for l in lines_of(sys.argv[2]) if l.rsplit(b" ", 1)[0].count(b";") + 1 > n]
        for l in bad[:3]:
            print("too deep: %r" % l[:100])
        return 1 if bad else 0
    if mode == "pysum":
        import pstats
        s = pstats.Stats(sys.argv[2])
        print(round(sum(v[2] for v in s.stats.values()) * float(sys.argv[3])))
        return 0
    print("unknown mode", mode)
    return 2


if __name__ == "__main__":
    sys.exit(main())
