def helper(xs):
    return sorted(xs, reverse=True)[: len(xs) // 3]


def shared(n):
    return max(range(n)) if n else 0
