"""Write hostile.prof: a real cProfile dump whose file and function names are
markup, script, quotes and line separators, to check that prof2html's page
shows them as text and runs nothing.

usage: python3.13 gen_hostile.py OUT

The code is compiled with compile() under a hostile co_filename, and the
functions' code objects get hostile co_name values with code.replace(); the
program then runs under cProfile and the stats are dumped with dump_stats.
Every `onerror`/script payload would set window.__pwned if a page ever let
it run."""
import cProfile
import sys

FILE = ('</script><img src=x onerror="window.__pwned=1">'
        "'quoted' \"double\" \u2028line\u2029para <!-- & &amp; .py")
SRC = '''
def outer(n):
    total = 0
    for i in range(n):
        total += inner(i)
    return total

def inner(i):
    return helper(i) + 1

def helper(i):
    return sum(range(i % 50)) * 2
'''

NAMES = {
    'outer': '<img src=x onerror="window.__pwned=2">',
    'inner': '</script><script>window.__pwned=3</script>',
    'helper': "x\u2028y\u2029z \"q\" 'a' <b>bold</b> {braces}",
}


def main(out):
    ns = {}
    exec(compile(SRC, FILE, 'exec'), ns)
    for name, hostile in NAMES.items():
        ns[name].__code__ = ns[name].__code__.replace(co_name=hostile)
    prof = cProfile.Profile()
    prof.runcall(ns["outer"], 20000)
    prof.dump_stats(out)


if __name__ == '__main__':
    main(sys.argv[1])
