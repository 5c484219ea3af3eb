# work.py - a small workload for the samplers: nested calls, recursion and a
# second thread, long enough for a few hundred samples.
import threading


def leaf(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


def fib(n):
    if n < 2:
        return leaf(200)
    return fib(n - 1) + fib(n - 2)


def middle(k):
    return [leaf(3000) for _ in range(k)]


def worker():
    for _ in range(40):
        middle(10)


def main():
    t = threading.Thread(target=worker)
    t.start()
    for _ in range(3):
        fib(12)
        middle(20)
    t.join()


if __name__ == "__main__":
    main()
