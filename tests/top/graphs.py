"""Do two prof2dot graphs (--dot-writer text --full-names) have the same functions and
calls?  Nodes are compared by name (the label's first line), calls by (caller, callee)
names; weights are not (a view's percentages are of its own total).

  python3 graphs.py LIST      LIST: lines `WHAT<TAB>A.dot<TAB>B.dot`; prints `ok WHAT`
                              or `FAIL WHAT: the differences` for each pair
"""
import re
import sys

NODE = re.compile(r'^\t(\d+) \[.*?label="((?:[^"\\]|\\.)*?)\\n', re.M)
EDGE = re.compile(r'^\t(\d+) -> (\d+) \[', re.M)


def graph(path):
    text = open(path, encoding="utf-8").read()
    names = {i: n for i, n in NODE.findall(text)}
    return set(names.values()), {(names[a], names[b]) for a, b in EDGE.findall(text)}


def compare(pa, pb):
    (na, ea), (nb, eb) = graph(pa), graph(pb)
    why = []
    for what, a, b in (("function", na, nb), ("call", ea, eb)):
        why += ["only in the view: %s %s" % (what, x) for x in sorted(a - b)]
        why += ["only in prof2dot's: %s %s" % (what, x) for x in sorted(b - a)]
    if not na:
        why.append("an empty graph")
    return why


for line in open(sys.argv[1], encoding="utf-8"):
    what, pa, pb = line.rstrip("\n").split("\t")
    why = compare(pa, pb)
    print("FAIL %s: %s" % (what, "; ".join(why[:3])) if why else "ok %s" % what)
