"""listsort_orders.py - the orders test_listsort.c expects: CPython's own
list.sort of the same made-up float lists with NaN, as one hash per list.

    PYENV_VERSION=3.11.7 python3 tests/unit/listsort_orders.py   (also 3.12.1, 3.13.0)

prints one line per case: SIZE HASH.  test_listsort.c makes the same lists
with the same generator (a 64-bit LCG), sorts them with ps_listsort and
compares the FNV-1a hash of the order with these.
"""
import sys

SIZES = [2, 5, 63, 64, 65, 100, 127, 128, 129, 256, 500, 777, 1000, 1500, 2048, 3000]
M64 = (1 << 64) - 1


def values(case, n):
    x = case + 1
    out = []
    for i in range(n):
        x = (x * 6364136223846793005 + 1442695040888963407) & M64
        r = x >> 33
        x = (x * 6364136223846793005 + 1442695040888963407) & M64
        q = x >> 33
        shape = case % 5
        if shape == 0:
            v = (r % 1000) / 8.0
        elif shape == 1:
            v = (i + r % 8) / 2.0
        elif shape == 2:
            v = float((n - i) // 3)
        elif shape == 3:
            v = float(r % 5)
        else:
            v = float((50 - i % 50 if (i // 50) % 2 else i % 50) + r % 3)
        if q % 100 < (5, 20, 50)[case % 3]:
            v = float("nan")
        out.append(v)
    return out


def fnv(order):
    h = 14695981039346656037
    for i in order:
        h = ((h ^ i) * 1099511628211) & M64
    return h


for case, n in enumerate(SIZES):
    v = values(case, n)
    print(n, fnv(sorted(range(n), key=v.__getitem__)))
print(sys.version.split()[0], file=sys.stderr)
