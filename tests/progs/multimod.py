"""Calls into a second module (helpermod.py) and gets called back from it.

Deterministic call counts; used to produce profile dumps for the pstatsh tests.
Runs unchanged on Python 2.7 and 3.x.
"""
from __future__ import print_function

import helpermod


def visitor(counter):
    def visit(node, depth):
        counter.add(node['name'])
        if depth > 3:
            counter.add('deep')
    return visit


def main():
    counter = helpermod.Counter()
    tree = helpermod.make_tree(4, 3)
    helpermod.walk(tree, visitor(counter))
    total = sum(helpermod.squares(50))
    print(counter.most(), total)


main()
