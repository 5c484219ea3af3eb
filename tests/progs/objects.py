"""Classes, methods, generators, comprehensions and common builtins.

Deterministic call counts; used to produce profile dumps for the pstatsh tests.
Runs unchanged on Python 2.7 and 3.x.
"""
from __future__ import print_function

import json
import re

TEXT = ("the quick brown fox jumps over the lazy dog and the dog "
        "sleeps while the fox runs over the hill to the quick river")


class Shape(object):
    def __init__(self, name, sides):
        self.name = name
        self.sides = sides

    def area(self):
        raise NotImplementedError

    def describe(self):
        return '%s:%d' % (self.name, self.sides)


class Square(Shape):
    def __init__(self, side):
        Shape.__init__(self, 'square', 4)
        self.side = side

    def area(self):
        return self.side * self.side


class Triangle(Shape):
    def __init__(self, base, height):
        Shape.__init__(self, 'triangle', 3)
        self.base = base
        self.height = height

    def area(self):
        return self.base * self.height / 2.0

    @staticmethod
    def unit():
        return Triangle(1, 1)


def shapes(n):
    for i in range(n):
        if i % 3 == 0:
            yield Triangle(i + 1, i + 2)
        else:
            yield Square(i + 1)


def word_counts(text):
    counts = {}
    for word in text.split():
        counts[word] = counts.get(word, 0) + 1
    return counts


def by_length(words):
    groups = {}
    for w in words:
        groups.setdefault(len(w), []).append(w)
    return dict((k, sorted(v)) for k, v in groups.items())


def main():
    items = list(shapes(40))
    items.append(Triangle.unit())
    areas = sorted([s.area() for s in items])
    names = [s.describe() for s in items if s.sides == 4]
    counts = word_counts(TEXT * 5)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    back = json.loads(json.dumps(top))
    found = re.findall(r'[a-z]+', TEXT)
    groups = by_length(found)
    keys = sorted(groups.keys())
    print(len(items), areas[-1], len(names), back[0][0], len(keys),
          len(' '.join(names).split(':')))


main()
