def helper(xs):
    return sorted(xs)[: len(xs) // 2]


def shared(n):
    return sum(i * i for i in range(n))
