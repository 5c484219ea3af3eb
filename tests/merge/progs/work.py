# A small varied workload for profmerge's tests: what it calls, and how often,
# depends on its arguments (seed, size), so dumps of different runs overlap
# partly.  Runs on every CPython from 2.7 to 3.13.
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import json
import random
import re
from a import util as util_a
from b import util as util_b


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def is_even(n):
    return True if n == 0 else is_odd(n - 1)


def is_odd(n):
    return False if n == 0 else is_even(n - 1)


class Shape(object):
    def __init__(self, w, h):
        self.w, self.h = w, h

    def area(self):
        return self.w * self.h


class Square(Shape):
    def __init__(self, s):
        Shape.__init__(self, s, s)


def shapes(rng, n):
    out = []
    for i in range(n):
        out.append(Square(rng.randint(1, 9)) if i % 3 else Shape(rng.randint(1, 9), 2))
    return sum(s.area() for s in out)


def text(rng, n):
    words = ['alpha', 'beta', 'gamma', 'delta', 'eps%d' % rng.randint(0, 9)]
    s = ' '.join(rng.choice(words) for _ in range(n))
    return len(re.findall(r'\b[a-d]\w+', s)), s.upper().count('A')


def data(rng, n):
    d = [{'k': i, 'v': rng.random()} for i in range(n)]
    return len(json.loads(json.dumps(d)))


def main(seed, size):
    rng = random.Random(seed)
    tasks = [lambda: fib(8 + seed % 6), lambda: is_even(10 + seed % 20),
             lambda: shapes(rng, size), lambda: text(rng, size), lambda: data(rng, size),
             lambda: util_a.helper([rng.random() for _ in range(size)]),
             lambda: util_b.helper([rng.random() for _ in range(size)]),
             lambda: util_a.shared(size), lambda: util_b.shared(seed % 7)]
    picked = [t for i, t in enumerate(tasks) if (seed >> (i % 5)) & 1 or i % 4 == seed % 4]
    for t in picked * (1 + seed % 3):
        t()


if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1, int(sys.argv[2]) if len(sys.argv) > 2 else 20)
