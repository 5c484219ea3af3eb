# A cProfile dump (Python 2.7) whose file name is a Latin-1 byte string, not
# UTF-8: python2.7 latin1.py OUT
import cProfile
import sys
ns = {}
exec(compile("def f(n):\n    return sum(range(n))\n", '/tmp/caf\xe9/m\xfcll.py', 'exec'), ns)


def g():
    for i in range(3):
        ns['f'](10)


p = cProfile.Profile()
p.runcall(g)
p.dump_stats(sys.argv[1])
