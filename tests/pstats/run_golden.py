#!/usr/bin/env python3
# Replay every golden case of cases.txt with an implementation of `python -m pstats`.
#   python3 tests/pstats/run_golden.py [BIN [NAME-REGEX]]      (BIN default: build/pstatsh)
# The same checks as the bash replayer this replaces, in one process: the old one spent
# about 15 processes per case (mktemp, cp, touch, sed, cmp, cat ...) and those, not
# pstatsh, were most of the suite's CPU.  Standard library only (Debian's python3).
#
# For each case: copy its files (originals, never converted) into a fresh temp dir under
# their relative names, touch them to 2024-01-02 03:04:05 UTC, cd there and run
# BIN ARGS < script with TZ=UTC LC_ALL=C.UTF-8 PYTHONHASHSEED=0 PYTHONIOENCODING=utf-8
# TERM=dumb (lib.sh's set_run_env).  Its stdout is compared byte for byte with CPython
# 3.11's and 3.13's (golden/NAME.out when they agree, else golden/NAME.3.11.out and
# golden/NAME.3.13.out; see lib.sh), each comparison counting as one test, after rewriting
# `at 0x<hex>` to `at 0xADDR` on both sides; the exit status must be 0 when CPython's was.
# Cases flagged `prefix` (CPython died with a traceback) compare only the golden stdout as
# a prefix of BIN's stdout; cases flagged `diverge` are skipped here (deliberate
# departures, asserted by diverge.sh).
# The quick tier (PSTATS_TIER=quick, tests/tier.sh) replays the cases that bring an input
# (ARGS) or a SCRIPT not replayed yet: every dump and every command script, in about two
# cases of five; the full tier, or a NAME-REGEX, replays them all.
# Environment: MAXDIFFS (default 5) unified diffs shown, TIMEOUT seconds per run (20).
# Prints `N passed, N failed` last; exit status 1 if anything failed, 2 if BIN is missing.
import calendar
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

PSTATS_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(PSTATS_DIR))
SCRIPTS = os.path.join(PSTATS_DIR, "scripts")
GOLDEN = os.path.join(PSTATS_DIR, "golden")
CASES = os.environ.get("CASES") or os.path.join(PSTATS_DIR, "cases.txt")
STAMP = calendar.timegm((2024, 1, 2, 3, 4, 5, 0, 0, 0))   # lib.sh's STAMP, in UTC
GOLDEN_TAGS = ("3.11", "3.13")                           # lib.sh's GOLDEN_VERSIONS
RUN_ENV = dict(os.environ, TZ="UTC", LC_ALL="C.UTF-8", PYTHONHASHSEED="0",
               PYTHONIOENCODING="utf-8", TERM="dumb")
ADDR = re.compile(rb"at 0x[0-9a-fA-F]+")
READ_ADD = re.compile(r"^\s*(read|add)\s+(.*\S)\s*$")


def each_case():
    """(name, args, script, flags) for every case line (lib.sh's each_case)."""
    with open(CASES, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line == "" or line.startswith("#"):
                continue
            fields = line.split("|", 3) + ["", "", ""]
            yield tuple(x.strip() for x in fields[:4])


def needed_paths(args, script):
    """The repo-relative paths a case uses: its arguments, the targets of read/add lines."""
    paths = args.split()
    with open(os.path.join(SCRIPTS, script), encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            m = READ_ADD.match(line.rstrip("\n"))
            if m:
                paths.append(m.group(2))
    return paths


def prepare_dir(d, args, script):
    for p in needed_paths(args, script):
        if p.startswith("/") or ".." in p:   # never reach outside the temp dir
            continue
        src = os.path.join(ROOT, p)
        dst = os.path.join(d, p)
        if os.path.isdir(src):
            os.makedirs(dst, exist_ok=True)
        elif os.path.isfile(src):
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy(src, dst)
            os.utime(dst, (STAMP, STAMP))


def golden_file(name, tag, kind):
    for stem in (f"{name}.{tag}.{kind}", f"{name}.{kind}"):
        path = os.path.join(GOLDEN, stem)
        if os.path.isfile(path):
            return path
    return None


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    bin_ = sys.argv[1] if len(sys.argv) > 1 else "build/pstatsh"
    pattern = sys.argv[2] if len(sys.argv) > 2 else ""
    maxdiffs = int(os.environ.get("MAXDIFFS", "5"))
    timeout = float(os.environ.get("TIMEOUT", "20"))
    if not bin_.startswith("/"):
        bin_ = os.path.join(ROOT, bin_) if "/" in bin_ else (shutil.which(bin_) or os.path.join(ROOT, bin_))
    if not (os.path.isfile(bin_) and os.access(bin_, os.X_OK)):
        print(f"run_golden.py: {bin_}: not found or not executable", file=sys.stderr)
        return 2
    quick = os.environ.get("PSTATS_TIER", "quick") != "full" and not pattern
    work = tempfile.mkdtemp(prefix="pstats-golden.", dir=os.environ.get("TMPDIR") or "/tmp")
    stats = {"pass": 0, "fail": 0, "shown": 0}

    def report(name, tag, why, expected=None, actual=None):
        stats["fail"] += 1
        print(f"FAIL {name} ({tag}): {why}", flush=True)
        if stats["shown"] < maxdiffs and expected is not None:
            stats["shown"] += 1
            exp, act = os.path.join(work, "expected"), os.path.join(work, "actual")
            with open(exp, "wb") as f:
                f.write(expected)
            with open(act, "wb") as f:
                f.write(actual)
            out = subprocess.run(["diff", "-u", "--label", f"golden/{name} ({tag})", "--label",
                                  f"{os.path.basename(bin_)} stdout", exp, act],
                                 stdout=subprocess.PIPE).stdout
            lines = out.decode("utf-8", "replace").splitlines()[:60]
            if lines:
                print("\n".join(lines))
            sys.stdout.flush()

    seen_args, seen_script = set(), set()
    try:
        for name, args, script, flags in each_case():
            if pattern and not re.search(pattern, name):
                continue
            if quick and args in seen_args and script in seen_script:
                continue
            seen_args.add(args)
            seen_script.add(script)
            flagset = {f.strip() for f in flags.split(",")}
            # `diverge`: pstatsh departs from 3.11/3.13 on purpose (diverge.sh checks it)
            if "diverge" in flagset:
                continue
            tmp = os.path.join(work, "run")
            shutil.rmtree(tmp, ignore_errors=True)
            os.makedirs(tmp)
            prepare_dir(tmp, args, script)
            stdout = stderr = b""
            for attempt in (1, 2, 3):   # exec failing: BIN being rebuilt concurrently
                try:
                    with open(os.path.join(SCRIPTS, script), "rb") as stdin:
                        p = subprocess.run([bin_] + args.split(), stdin=stdin, cwd=tmp, env=RUN_ENV,
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                           timeout=timeout)
                    rc, stdout, stderr = p.returncode, p.stdout, p.stderr
                    break
                except subprocess.TimeoutExpired as e:
                    rc, stdout, stderr = 124, e.stdout or b"", e.stderr or b""
                    break
                except OSError as e:
                    rc, stderr = 127, str(e).encode()
                    time.sleep(2)
            if rc < 0:
                rc = 128 - rc   # killed by a signal: the status a shell shows
            actual = ADDR.sub(b"at 0xADDR", stdout)
            for tag in GOLDEN_TAGS:
                gold = golden_file(name, tag, "out")
                if gold is None:
                    report(name, tag, "golden missing (run record.sh)")
                    continue
                grc = golden_file(name, tag, "rc")
                grc = read(grc).decode().rstrip("\n") if grc else "0"
                expected = ADDR.sub(b"at 0xADDR", read(gold))
                act = actual[:len(expected)] if "prefix" in flagset else actual
                if rc == 124:
                    report(name, tag, f"timed out after {os.environ.get('TIMEOUT', '20')}s")
                elif expected != act:
                    report(name, tag, f"stdout differs (exit {rc})", expected, act)
                elif grc == "0" and rc != 0 and "prefix" not in flagset:
                    report(name, tag, f"exit status {rc}, CPython 0; stderr: "
                           + stderr[:300].decode("utf-8", "replace"))
                else:
                    stats["pass"] += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{stats['pass']} passed, {stats['fail']} failed")
    return 1 if stats["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
