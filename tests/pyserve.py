#!/usr/bin/env python3
"""tests/pyserve.py: one Python process that runs the suites' checker scripts on request.

The suites call their Python checkers (fcheck.py, check_page.py, xcheck.py ...) hundreds
of times, and a Python start-up costs more than most checks (~0.1 s of CPU here, where
site-packages' .pth files import certifi at every start): tests/pyserve.sh starts this
server once per suite, and `pyrun SCRIPT ARGS...` then runs SCRIPT as `python3 SCRIPT
ARGS...` would, in this process:

  - the script's code (compiled once) runs in a fresh namespace as __main__, with
    sys.argv = [SCRIPT, ARGS...], sys.path[0] = the script's directory, the caller's
    working directory, standard input /dev/null (or the file PYRUN_STDIN names);
  - file descriptors 1 and 2 are the files DIR/out and DIR/err for the call (so that
    os.write, C code and child processes write there too); the caller copies them out;
  - the exit status is that of python3: 0, sys.exit's code, 1 after a traceback.

What is shared between calls: the imported modules and the environment of the start
(a script that changes interpreter-wide state -- sys.setrecursionlimit, os.environ, a
module's globals -- changes it for the next calls).

Protocol (two FIFOs in DIR, made by pyserve.sh): a request is NUL-terminated fields:
the working directory, the standard input file ('' for /dev/null), the number of
arguments, then the arguments (SCRIPT first; "-c" CODE runs CODE); the answer is the
exit status and a newline.  The server ends at the end of its requests, or when the
shell that started it is gone (its children may hold the request FIFO open); it
removes DIR.

usage: pyserve.py DIR PARENT_PID"""
import builtins
import os
import select
import shutil
import sys
import traceback


def main():
    d, parent = sys.argv[1], int(sys.argv[2])
    enc = sys.__stdout__.encoding if sys.__stdout__ else "utf-8"
    errs = sys.__stdout__.errors if sys.__stdout__ else "strict"
    req = os.open(os.path.join(d, "req"), os.O_RDONLY)
    rep = os.open(os.path.join(d, "rep"), os.O_WRONLY)
    home1, home2 = os.dup(1), os.dup(2)
    codes = {}
    buf = b""
    fields = []

    def field():
        # the next NUL-terminated field, or None at the end of the requests
        nonlocal buf
        while True:
            i = buf.find(b"\0")
            if i >= 0:
                f, buf = buf[:i], buf[i + 1:]
                return os.fsdecode(f)
            r, _, _ = select.select([req], [], [], 1.0)
            if not r:
                if os.getppid() != parent:
                    return None
                continue
            chunk = os.read(req, 65536)
            if not chunk:
                return None
            buf += chunk

    try:
        while True:
            cwd = field()
            if cwd is None:
                break
            stdin = field()
            n = field()
            if stdin is None or n is None:
                break
            args = [field() for _ in range(int(n))]
            if None in args:
                break
            rc = run(d, cwd, stdin, args, codes, enc, errs, home1, home2)
            os.write(rep, b"%d\n" % rc)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def run(d, cwd, stdin, args, codes, enc, errs, home1, home2):
    out = os.open(os.path.join(d, "out"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err = os.open(os.path.join(d, "err"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(out, 1)
    os.dup2(err, 2)
    os.close(out)
    os.close(err)
    sys.stdout = open(1, "w", encoding=enc, errors=errs, closefd=False)
    sys.stderr = open(2, "w", encoding=enc, errors="backslashreplace", closefd=False)
    sys.stdin = open(stdin or os.devnull, "r", encoding=enc, errors=errs)
    rc = 0
    try:
        os.chdir(cwd)
        if args[0] == "-c":
            code = compile(args[1], "<string>", "exec", dont_inherit=True)
            sys.argv = ["-c"] + args[2:]
            sys.path[0] = ""
            name = "<string>"
        else:
            path = os.path.abspath(args[0])
            st = os.stat(path)
            key = (path, st.st_mtime_ns, st.st_size)
            if key not in codes:
                with open(path, "rb") as f:
                    codes[key] = compile(f.read(), args[0], "exec", dont_inherit=True)
            code = codes[key]
            sys.argv = list(args)
            sys.path[0] = os.path.dirname(path)
            name = args[0]
        g = {"__name__": "__main__", "__file__": name, "__builtins__": builtins}
        if name == "<string>":
            del g["__file__"]
        exec(code, g)
    except SystemExit as e:
        if e.code is None:
            rc = 0
        elif isinstance(e.code, int):
            rc = e.code & 0xff
        else:
            print(e.code, file=sys.stderr)
            rc = 1
    except BaseException as e:
        # as python3 prints it: from the script's frames on, without this one
        traceback.print_exception(type(e), e, e.__traceback__.tb_next)
        rc = 1
    finally:
        for f in (sys.stdout, sys.stderr):
            try:
                f.flush()
            except BaseException:
                pass
        sys.stdin.close()
        sys.stdout = sys.stderr = sys.stdin = None
        os.dup2(home1, 1)
        os.dup2(home2, 2)
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    return rc


if __name__ == "__main__":
    main()
