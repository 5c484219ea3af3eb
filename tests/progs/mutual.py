"""Direct and mutual recursion, plus module-level imports of re and json.

Deterministic call counts; used to produce profile dumps for the pstatsh tests.
Runs unchanged on Python 2.7 and 3.x.
"""
from __future__ import print_function

import json
import re


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


def hanoi(n, src, dst, via, moves):
    if n == 0:
        return
    hanoi(n - 1, src, via, dst, moves)
    moves.append((src, dst))
    hanoi(n - 1, via, dst, src, moves)


def collatz_len(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def main():
    total = 0
    for i in range(14):
        total += fib(i)
    flags = [is_even(k) for k in range(25)]
    moves = []
    hanoi(7, 'a', 'c', 'b', moves)
    longest = max(range(1, 60), key=collatz_len)
    data = json.dumps({'total': total, 'even': sum(flags),
                       'moves': len(moves), 'longest': longest},
                      sort_keys=True)
    m = re.search(r'"total": (\d+)', data)
    print(m.group(1), len(flags), len(moves), longest)


main()
