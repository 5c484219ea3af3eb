"""TAB completion of the new commands in the browser, on a pseudo-terminal.

  python3 tab.py PSTATSH DUMP LINE...   types each LINE (TAB for a tab) on a fresh line and
                                        prints what the terminal echoed, one a line
"""
import os
import pty
import select
import sys
import time


def read_all(fd, wait=0.3):
    out = b""
    end = time.time() + wait
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            end = time.time() + wait
    return out


pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "dumb"
    os.environ["HOME"] = os.environ.get("TMPDIR", "/tmp")
    os.execv(sys.argv[1], [sys.argv[1], sys.argv[2]])
read_all(fd, 1.0)
for typed in sys.argv[3:]:
    typed = typed.replace("TAB", "\t")
    os.write(fd, typed.encode())
    echo = read_all(fd).decode("utf-8", "replace")
    print(echo.replace("\r", "").replace("\n", " "))
    os.write(fd, b"\x15")          # ^U: kill the line
    read_all(fd, 0.2)
os.write(fd, b"quit\n")
read_all(fd, 0.5)
os.waitpid(pid, 0)
