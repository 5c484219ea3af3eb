# gen_big_speedscope.py - a py-spy-like speedscope file for the importer's memory test:
#   gen_big_speedscope.py PLAIN TREE
# 300k samples (one a stack, weights 1-3) over 2000 frames and 20k distinct stacks, as a
# sampler sees a program's few paths again and again; deterministic.  PLAIN has
# the arrays as py-spy writes them (read from the text, json_scan.c); TREE is the same
# profile with the keys "samples" and "weights" written with an escape, which the scan
# does not take, so jansson's tree reads it: the two must give the same profile.
import json
import random
import sys

r = random.Random(7)
frames = [{"name": "f%d" % i, "file": "m%d.py" % (i % 40), "line": i % 300 + 1}
          for i in range(2000)]
paths = []
for k in range(20000):
    f, s = r.randrange(30), []
    for d in range(r.randint(3, 9)):
        s.append(f)
        f = (f * 7 + r.randrange(1 + d * d)) % 2000
    paths.append(s)
samples = [paths[int(len(paths) * r.random() ** 2)] for k in range(300000)]
weights = [r.randint(1, 3) for k in range(300000)]
prof = {"type": "sampled", "name": "p", "unit": "none", "startValue": 0, "endValue": 1,
        "samples": samples, "weights": weights}
doc = {"shared": {"frames": frames}, "profiles": [prof], "exporter": "py-spy@0.3.14"}
text = json.dumps(doc, separators=(",", ":"))
open(sys.argv[1], "w").write(text)
open(sys.argv[2], "w").write(text.replace('"samples":', '"sampl\\u0065s":', 1)
                             .replace('"weights":', '"w\\u0065ights":', 1))
