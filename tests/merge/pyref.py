# The CPython side of profmerge's tests (runs on 2.7 and 3.6+).
#
#   pyref.py report SEQ [--strip] [--accum] FILE...
#       pstats.Stats(*FILE) (strip_dirs() with --strip), then the browser
#       commands in seq/SEQ with the output of each print; files lines
#       are not printed.  --accum: Stats(FILE[0], ..., FILE[-2]) is dumped with
#       dump_stats and the result is Stats(that dump, FILE[-1]) - what
#       `profmerge all.prof new.prof -o all.prof` does to an earlier merge.
#   pyref.py enc4 [--strip] [--accum] FILE... > OUT
#       the same Stats' .stats encoded the way profmerge's writer encodes at
#       marshal version 4 (')' 'z' 'a' 'u' 'i' 'l' 'g' '{' '0'; each key tuple
#       and each string flagged where first written, then 'r' references to
#       it), so a correct merge is byte-identical to it.
#   pyref.py same OURS [--strip] [--accum] FILE...
#       OURS loaded with marshal has exactly Stats(*FILE).stats: the same keys
#       in the same order, the same numbers (floats to the last bit), the same
#       callers in the same order; code-object names compare by their repr
#       with the address masked.
#   pyref.py batch < JOBS
#       many reports in one process: a line is OUT TAB SEQ TAB [--strip TAB] FILE...
#   pyref.py codes FILE...
#       the marshal type codes each FILE uses (FLAG_REF shown as '+'), one line a file.
#   pyref.py raises FILE...
#       exit 0 if pstats.Stats(*FILE) raises (printing the exception), 1 if not.
from __future__ import print_function
import io
import marshal
import os
import pstats
import re
import struct
import sys
import tempfile

PY2 = sys.version_info[0] == 2
HERE = os.path.dirname(os.path.abspath(__file__))


def seq_commands(name):
    # tests/merge/seq/NAME: one browser command a line (run.sh gives the same to pstatsh)
    with open(os.path.join(HERE, 'seq', name)) as f:
        return [line.strip() for line in f if line.strip()]


ADDR = re.compile(r' at 0x[0-9a-fA-F]+')


def make_stats(files, strip, accum):
    if accum:
        first = pstats.Stats(*files[:-1])
        fd, tmp = tempfile.mkstemp(suffix='.prof')
        os.close(fd)
        try:
            first.dump_stats(tmp)
            st = pstats.Stats(tmp, files[-1])
        finally:
            os.unlink(tmp)
    else:
        st = pstats.Stats(*files)
    if strip:
        st.strip_dirs()
    return st


def parse(args):
    strip = accum = False
    while args and args[0].startswith('--'):
        if args[0] == '--strip':
            strip = True
        elif args[0] == '--accum':
            accum = True
        else:
            sys.exit('pyref: unknown option ' + args[0])
        args = args[1:]
    return strip, accum, args


class Py2Stream(object):
    # pstats of 2.7 prints str and (from a dump with 'u' strings) unicode
    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s.encode('utf-8') if isinstance(s, type(u'')) else s)

    def getvalue(self):
        return b''.join(self.parts)


def report(seq, args):
    """The text of the reports, as UTF-8 bytes."""
    strip, accum, files = parse(args)
    out = Py2Stream() if PY2 else io.StringIO()
    st = make_stats(files, strip, accum)
    st.stream = out
    st.files = []
    for cmd in seq_commands(seq):
        words = cmd.split()
        rest = [int(w) if w.isdigit() else w for w in words[1:]]
        if words[0] == 'sort':
            st.sort_stats(*rest)
        elif words[0] == 'stats':
            st.print_stats(*rest)
        elif words[0] == 'callers':
            st.print_callers(*rest)
        elif words[0] == 'callees':
            st.print_callees(*rest)
    text = out.getvalue()
    if PY2:
        text = text.decode('utf-8')
    return ADDR.sub(' at 0xX', text).encode('utf-8', 'surrogateescape' if not PY2 else 'strict')


def batch():
    """One job a line on stdin: OUT TAB SEQ TAB [options TAB] FILE...; writes the
    report to OUT, or a line starting with ERROR."""
    for line in sys.stdin:
        fields = line.rstrip('\n').split('\t')
        try:
            data = report(fields[1], fields[2:])
        except Exception as e:
            data = ('ERROR: %s: %s\n' % (type(e).__name__, e)).encode('utf-8')
        with open(fields[0], 'wb') as f:
            f.write(data)


def stdout_bytes():
    return sys.stdout if PY2 else sys.stdout.buffer


# ---- the writer's encoding, in Python ------------------------------------------------

def w_int(v, out):
    if -2 ** 31 <= v < 2 ** 31:
        out.append(b'i' + struct.pack('<i', v))
        return
    mag, digits = abs(v), []
    while mag:
        digits.append(mag & 0x7fff)
        mag >>= 15
    out.append(b'l' + struct.pack('<i', -len(digits) if v < 0 else len(digits)))
    out.append(b''.join(struct.pack('<H', d) for d in digits))


def flag(out, refs):
    """Flag the object whose type byte comes next; its reference index."""
    refs['flag'] = True
    refs['n'] += 1
    return refs['n'] - 1


def code(c, out, refs):
    out.append(struct.pack('<B', ord(c) | (0x80 if refs.get('flag') else 0)))
    refs['flag'] = False


def w_ref(i, out):
    out.append(b'r' + struct.pack('<I', i))


def w_str(s, out, refs):
    if not isinstance(s, str):
        raise SystemExit('pyref enc4: a key holds a %s, not a str' % type(s).__name__)
    if s in refs['strs']:
        return w_ref(refs['strs'][s], out)
    refs['strs'][s] = flag(out, refs)
    data = s.encode('utf-8', 'surrogatepass')
    ascii_ = all(c < 128 for c in data)
    if ascii_ and len(data) < 256:
        code('z', out, refs)
        out.append(struct.pack('<B', len(data)))
    elif ascii_:
        code('a', out, refs)
        out.append(struct.pack('<i', len(data)))
    else:
        code('u', out, refs)
        out.append(struct.pack('<i', len(data)))
    out.append(data)


def w_tuple(n, out, refs=None):
    if refs is not None:
        code(')' if n < 256 else '(', out, refs)
        out.append(struct.pack('<B', n) if n < 256 else struct.pack('<i', n))
        return
    out.append(b')' + struct.pack('<B', n) if n < 256 else b'(' + struct.pack('<i', n))


def w_key(k, out, refs):
    if k in refs['keys']:
        return w_ref(refs['keys'][k], out)
    refs['keys'][k] = flag(out, refs)
    w_tuple(3, out, refs)
    w_str(k[0], out, refs)
    w_int(k[1], out)
    w_str(k[2], out, refs)


def enc4(args):
    strip, accum, files = parse(args)
    st = make_stats(files, strip, accum)
    out = [b'{']
    refs = {'n': 0, 'keys': {}, 'strs': {}, 'flag': False}
    for k, (cc, nc, tt, ct, callers) in st.stats.items():
        w_key(k, out, refs)
        w_tuple(5, out)
        w_int(cc, out)
        w_int(nc, out)
        out.append(b'g' + struct.pack('<d', float(tt)))
        out.append(b'g' + struct.pack('<d', float(ct)))
        out.append(b'{')
        for ck, v in callers.items():
            w_key(ck, out, refs)
            if isinstance(v, tuple):
                w_tuple(4, out)
                w_int(v[0], out)
                w_int(v[1], out)
                out.append(b'g' + struct.pack('<d', float(v[2])))
                out.append(b'g' + struct.pack('<d', float(v[3])))
            else:
                w_int(v, out)
        out.append(b'0')
    out.append(b'0')
    stdout_bytes().write(b''.join(out))


# ---- exact comparison ------------------------------------------------------------------

def canon_key(k):
    name = k[2]
    if not isinstance(name, (str, type(u''))):
        name = ADDR.sub(' at 0xX', repr(name))
    else:
        name = ADDR.sub(' at 0xX', name) if name.startswith('<code object ') else name
    return (k[0], k[1], name)


def num(x):
    # bit-exact floats; an int time (profile.py's zeros) equals the same float
    return struct.pack('<d', float(x))


def canon(stats):
    rows = []
    for k, (cc, nc, tt, ct, callers) in stats.items():
        cl = []
        for ck, v in callers.items():
            if isinstance(v, tuple):
                v = ('t', v[0], v[1], num(v[2]), num(v[3]))
            else:
                v = ('i', v)
            cl.append((canon_key(ck), v))
        rows.append((canon_key(k), cc, nc, num(tt), num(ct), cl))
    return rows


def same(args):
    ours = args[0]
    strip, accum, files = parse(args[1:])
    ref = canon(make_stats(files, strip, accum).stats)
    with open(ours, 'rb') as f:
        got = canon(marshal.load(f))
    if ref == got:
        print('same: %d functions' % len(ref))
        return 0
    print('DIFFERENT: %d functions expected, %d in %s' % (len(ref), len(got), ours))
    for i, (a, b) in enumerate(zip(ref, got)):
        if a != b:
            print('first difference at entry %d:\n  want %r\n  got  %r' % (i, a, b))
            break
    return 1


# ---- type codes --------------------------------------------------------------------------

def codes(path):
    data = open(path, 'rb').read()
    seen = set()
    pos = [0]

    def byte():
        b = data[pos[0]] if not PY2 else ord(data[pos[0]])
        pos[0] += 1
        return b

    def long32():
        v = struct.unpack('<i', data[pos[0]:pos[0] + 4])[0]
        pos[0] += 4
        return v

    def obj():
        t = byte()
        if t & 0x80:
            seen.add('+')
        c = chr(t & 0x7f)
        seen.add(c)
        if c in '0NTF':
            return c
        if c == 'i':
            long32()
        elif c == 'g':
            pos[0] += 8
        elif c == 'l':
            n = 2 * abs(long32())
            pos[0] += n
        elif c in 'uastAr':
            n = long32()
            if c != 'r':
                pos[0] += n
        elif c in 'zZ':
            n = byte()
            pos[0] += n
        elif c in '()':
            n = byte() if c == ')' else long32()
            for _ in range(n):
                obj()
        elif c == '{':
            while obj() != '0':
                obj()
        else:
            raise SystemExit('pyref codes: type code %r not handled' % c)
        return c
    obj()
    print(''.join(sorted(seen)))


def raises(files):
    try:
        pstats.Stats(*files)
    except Exception as e:
        print('%s: %s' % (type(e).__name__, e))
        return 0
    return 1


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'report':
        stdout_bytes().write(report(args[0], args[1:]))
    elif cmd == 'batch':
        batch()
    elif cmd == 'enc4':
        enc4(args)
    elif cmd == 'same':
        sys.exit(same(args))
    elif cmd == 'codes':
        # one line per FILE (run.sh asks for every output in one start-up); a file this
        # cannot read gets its error on its line, which no check accepts
        for path in args:
            try:
                codes(path)
            except (Exception, SystemExit) as e:
                print('error: %s' % str(e).replace('\n', ' '))
            sys.stdout.flush()
    elif cmd == 'raises':
        sys.exit(raises(args))
    else:
        sys.exit('pyref: unknown command ' + cmd)


if __name__ == '__main__':
    main()
