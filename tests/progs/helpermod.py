"""Second module imported by multimod.py (so dumps reference two files)."""


class Counter(object):
    def __init__(self):
        self.seen = {}

    def add(self, key):
        self.seen[key] = self.seen.get(key, 0) + 1
        return self.seen[key]

    def most(self):
        return max(self.seen.items(), key=lambda kv: (kv[1], kv[0]))


def walk(node, visit, depth=0):
    visit(node, depth)
    for child in node.get('children', ()):
        walk(child, visit, depth + 1)


def make_tree(depth, fanout):
    if depth == 0:
        return {'name': 'leaf'}
    return {'name': 'n%d' % depth,
            'children': [make_tree(depth - 1, fanout) for _ in range(fanout)]}


def squares(n):
    return [i * i for i in range(n)]
