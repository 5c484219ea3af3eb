# Profile work.main(SEED, SIZE) with cProfile or profile and dump to OUT:
#   python run.py cprofile|profile OUT SEED SIZE
# The imports happen before profiling, so the dump holds only the work.
import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import work

mode, out, seed, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
if mode == 'cprofile':
    import cProfile as prof
else:
    import profile as prof
p = prof.Profile()
p.runcall(work.main, seed, size)
p.dump_stats(out)
