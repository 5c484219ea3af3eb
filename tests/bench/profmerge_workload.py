# A biggish, varied workload for the profmerge bench: import a seeded random
# ~half of the standard library (every package's submodules too), then run a
# few seeded computations, so each run profiles a different but overlapping
# set of functions (about 2 MB of cProfile dump per run).
import importlib, json, pkgutil, random, re, sys

seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
rng = random.Random(seed)
SKIP = {'antigravity', 'this', 'idlelib', 'tkinter', 'turtle', 'turtledemo', 'test',
        'lib2to3', 'ensurepip', 'venv', 'pydoc_data', 'xxlimited', 'xxlimited_35',
        'xxsubtype', 'pip', 'setuptools', '_distutils_hack', 'pkg_resources'}
names = sorted(m.name for m in pkgutil.iter_modules()
               if m.name not in SKIP and not m.name.startswith('_') and '-' not in m.name)
rng.shuffle(names)
for name in names[: int(len(names) * 0.55)]:
    try:
        mod = importlib.import_module(name)
        for sub in pkgutil.iter_modules(getattr(mod, '__path__', None) or []):
            try:
                importlib.import_module(name + '.' + sub.name)
            except BaseException:
                pass
    except BaseException:
        pass

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

data = [{'k%d' % i: rng.random(), 'v': [rng.randint(0, 99) for _ in range(5)]} for i in range(300 + seed % 200)]
for _ in range(3 + seed % 3):
    json.loads(json.dumps(data))
sorted(data, key=lambda d: d['v'])
re.findall(r'(\d+)\.(\d+)', json.dumps(data))
fib(14 + seed % 4)
