"""xcheck.py - the checks of tests/export/run.sh that need a parser: speedscope files against
speedscope's schema, pprof profiles decoded from the protobuf wire format, `go tool pprof -top`
text, and CPython's pstats as the oracle of a dump's tottimes.

usage:
  xcheck.py speedscope [--schema-sample N] SCHEMA FILE...
                                      validate each; print "TOTAL NAME" (the sum of the
                                      weights and the profile's name) per file; with N, the
                                      schema sees the first N samples and weights of each
                                      profile (the rest are checked by xcheck's own rules)
  xcheck.py ssframes FILE             one line per stack: "w frame;frame;..." (names file:line)
  xcheck.py stacks [--threads] FILE   a speedscope file or pyinstrument session as the stacks
                                      they stand for, by the formats' rules (an implementation
                                      of its own, the oracle of our importers): "SECONDS
                                      frame;frame;..." per distinct stack, frames "name file:line"
  xcheck.py pprof FILE                decode and check the structure; print "TOTAL_NS COUNT_SUM",
                                      then "FLAT_NS name file:line" per function, heaviest first
  xcheck.py pprofs FILE...            the same checks; "TOTAL_NS COUNT_SUM" per file
  xcheck.py top FILE                  `pprof -top -lines` text: "TOTAL_NS", then
                                      "FLAT_NS name file:line" per row
  xcheck.py pstats DUMP               CPython's pstats: "TOTAL_S", then "TT_S name file:line",
                                      heaviest first
Exit status 1 with a message on stderr when a check fails.
"""
import gzip
import json
import re
import sys


def fail(msg):
    sys.stderr.write(msg + '\n')
    sys.exit(1)


# ---- speedscope ----------------------------------------------------------------------------

def speedscope(path, validator, sample=None):
    """sample N: the schema sees each profile's samples and weights cut to their first N
    items (jsonschema takes ~1.5 s a MB, nearly all of it in those two arrays); every
    item is still checked below -- an index into the frames, a number."""
    import jsonschema
    with open(path, 'rb') as f:
        raw = f.read()
    doc = json.loads(raw.decode('utf-8'))   # JSON text must be UTF-8 (RFC 8259)
    shown = doc
    if sample is not None and isinstance(doc, dict) and isinstance(doc.get('profiles'), list):
        shown = dict(doc)
        shown['profiles'] = [dict(p, **{k: p[k][:sample] for k in ('samples', 'weights')
                                        if isinstance(p.get(k), list)})
                             if isinstance(p, dict) else p for p in doc['profiles']]
    try:
        validator.validate(shown)
    except jsonschema.ValidationError as e:
        fail('%s: %s' % (path, e.message))
    frames = doc['shared']['frames']
    if len(doc['profiles']) != 1:
        fail('expected one profile, found %d' % len(doc['profiles']))
    p = doc['profiles'][0]
    if p['type'] != 'sampled':
        fail('expected a sampled profile')
    if len(p['samples']) != len(p['weights']):
        fail('samples and weights differ in length')
    for s in p['samples']:
        if not isinstance(s, list) or not s:
            fail('an empty stack')
        for i in s:
            if not (isinstance(i, int) and 0 <= i < len(frames)):
                fail('frame index %r out of range' % (i,))
    for w in p['weights']:
        if not isinstance(w, (int, float)) or isinstance(w, bool):
            fail('weight %r is not a number' % (w,))
    total = sum(p['weights'])
    if abs(total - p['endValue'] + p['startValue']) > 1e-9 * max(1.0, total):
        fail('endValue - startValue %r is not the sum of the weights %r' % (p['endValue'], total))
    print('%.9f %s' % (total, p['name']))


def ssframes(path):
    with open(path, 'rb') as f:
        doc = json.loads(f.read().decode('utf-8'))
    frames = doc['shared']['frames']
    names = ['%s %s:%s' % (fr['name'], fr.get('file', ''), fr.get('line', 0)) for fr in frames]
    for p in doc['profiles']:
        for s, w in zip(p['samples'], p['weights']):
            print('%r %s' % (w, ';'.join(names[i] for i in s)))


SCALE = {'seconds': 1, 'milliseconds': 1e-3, 'microseconds': 1e-6, 'nanoseconds': 1e-9,
         'none': None, 'bytes': None}
INTERVAL = 0.01   # seconds per sample where the unit is a count (the programs' default)


def stacks(path, threads):
    with open(path, 'rb') as f:
        doc = json.loads(f.read().decode('utf-8'))
    out = {}

    def add(stack, seconds):
        if stack:
            key = ';'.join(stack)
            out[key] = out.get(key, 0.0) + seconds

    if 'frame_records' in doc:
        # pyinstrument: [stack, seconds], root first; "function\0file\0first_line" then
        # \x01 attributes; a root "name\0<thread>\0ident" is a thread
        for stack, seconds in doc['frame_records']:
            names = []
            for j, fr in enumerate(stack):
                name, file, line = fr.split('\x01')[0].split('\x00')
                if j == 0 and file == '<thread>':
                    if threads:
                        names.append('<thread %s> :0' % name)
                    continue
                names.append('%s %s:%s' % (name, file, line))
            if threads and len(names) == 1 and len(stack) == 1:
                names = []
            add(names, seconds)
    else:
        frames = doc['shared']['frames']
        # a frame without a file is a builtin (file '~', line 0); the line is the line being
        # executed, so a function (file, name) is keyed by the smallest line its used frames
        # have -- except in our own files, whose lines are first lines
        ours = doc.get('exporter', '').startswith('pstats toolkit')
        used = {i for p in doc['profiles'] for s in p.get('samples', []) for i in s}
        used |= {e['frame'] for p in doc['profiles'] for e in p.get('events', [])}
        first = {}
        for i in used:
            f = frames[i]
            if 'file' in f and not ours:
                k = (f['name'], f['file'])
                first[k] = min(first.get(k, f.get('line', 0)), f.get('line', 0))
        label = ['%s %s:%s' % (f['name'], f['file'], first.get((f['name'], f['file']), f.get('line', 0)))
                 if 'file' in f else '%s :0' % f['name'] for f in frames]
        for pi, p in enumerate(doc['profiles']):
            scale = SCALE[p['unit']]
            sec = (lambda v: v * scale) if scale else (lambda v: v * INTERVAL)
            root = ['<thread %s> :0' % p.get('name', pi)] if threads else []
            if p['type'] == 'sampled':
                for s, w in zip(p['samples'], p['weights']):
                    add(root + [label[i] for i in s] if s else [], sec(w))
            else:
                # evented: the time between two events belongs to the stack open then
                open_, prev = [], None
                for ev in p['events']:
                    if prev is not None and open_ and ev['at'] > prev:
                        add(root + [label[i] for i in open_], sec(ev['at'] - prev))
                    prev = ev['at']
                    if ev['type'] == 'O':
                        open_.append(ev['frame'])
                    else:
                        assert open_.pop() == ev['frame']
    for key in sorted(out):
        print('%.9f %s' % (out[key], key))


# ---- pprof: the protobuf wire format (varints, length-delimited fields) ---------------------

def varint(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7f) << shift
        shift += 7
        if c < 0x80:
            return v, i


def fields(b):
    """(field number, wire type, value) of a message; value: int or bytes."""
    i = 0
    out = []
    while i < len(b):
        key, i = varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 2:
            n, i = varint(b, i)
            v = b[i:i + n]
            i += n
        elif wt == 1:
            v = int.from_bytes(b[i:i + 8], 'little')
            i += 8
        elif wt == 5:
            v = int.from_bytes(b[i:i + 4], 'little')
            i += 4
        else:
            fail('wire type %d' % wt)
        out.append((num, wt, v))
    return out


def ints(fs, num, signed=True):
    """A repeated integer field, packed or not."""
    out = []
    for n, wt, v in fs:
        if n != num:
            continue
        if wt == 2:
            j = 0
            while j < len(v):
                x, j = varint(v, j)
                out.append(x)
        else:
            out.append(v)
    if signed:
        out = [x - (1 << 64) if x >= 1 << 63 else x for x in out]
    return out


def one(fs, num, default=0):
    vals = ints(fs, num)
    return vals[-1] if vals else default


def pprof(path, rows=True):
    with open(path, 'rb') as f:
        data = f.read()
    if data[:2] != b'\x1f\x8b':
        fail('not gzip-compressed')
    fs = fields(gzip.decompress(data))
    strings = [v.decode('utf-8') for n, wt, v in fs if n == 6]
    if not strings or strings[0] != '':
        fail('string_table[0] is not ""')
    types = []
    for n, wt, v in fs:
        if n == 1:
            t = fields(v)
            types.append((strings[one(t, 1)], strings[one(t, 2)]))
    if types != [('samples', 'count'), ('time', 'nanoseconds')]:
        fail('sample types %r' % types)
    funcs = {}
    for n, wt, v in fs:
        if n == 5:
            t = fields(v)
            fid = one(t, 1)
            if fid == 0 or fid in funcs:
                fail('function id %d' % fid)
            funcs[fid] = (strings[one(t, 2)], strings[one(t, 4)], one(t, 5))
    locs = {}
    for n, wt, v in fs:
        if n == 4:
            t = fields(v)
            lid = one(t, 1)
            lines = [fields(x) for m, w, x in t if m == 4]
            if lid == 0 or lid in locs or len(lines) != 1 or one(lines[0], 1) not in funcs:
                fail('location %d' % lid)
            locs[lid] = one(lines[0], 1)
    if len(set(funcs.values())) != len(funcs):
        fail('two functions with the same (name, file, first line)')
    flat = {}
    total = count = 0
    for n, wt, v in fs:
        if n == 2:
            t = fields(v)
            ids = ints(t, 1, signed=False)
            vals = ints(t, 2)
            if not ids or len(vals) != 2 or any(i not in locs for i in ids):
                fail('sample %r %r' % (ids, vals))
            leaf = funcs[locs[ids[0]]]   # pprof lists the leaf first
            flat[leaf] = flat.get(leaf, 0) + vals[1]
            total += vals[1]
            count += vals[0]
    print(total, count)
    if not rows:
        return
    for (name, file, line), ns in sorted(flat.items(), key=lambda kv: -kv[1]):
        print(ns, '%s %s:%d' % (name, file, line))


# ---- pprof -top text -----------------------------------------------------------------------

UNITS = {'ns': 1, 'us': 1e3, 'ms': 1e6, 's': 1e9, 'mins': 60e9, 'hrs': 3600e9}


def qty(s):
    if s == '0':
        return 0.0
    m = re.fullmatch(r'([0-9.e+-]+)(ns|us|ms|s|mins|hrs)', s)
    if not m:
        fail('not a time: %r' % s)
    return float(m.group(1)) * UNITS[m.group(2)]


def top(path):
    with open(path) as f:
        text = f.read()
    m = re.search(r'of ([0-9.e+-]+[a-z]+) total', text)
    if not m:
        fail('no total in the pprof output')
    print('%.0f' % qty(m.group(1)))
    rows = False
    for line in text.splitlines():
        if line.split()[:2] == ['flat', 'flat%']:
            rows = True
            continue
        if rows and line.strip():
            parts = line.split()
            # flat flat% sum% cum cum% name... file:line
            print('%.0f %s' % (qty(parts[0]), ' '.join(parts[5:])))


# ---- CPython's pstats ----------------------------------------------------------------------

def pstats_top(path):
    import pstats
    if path.endswith('.gz'):   # pstats reads plain dumps: load the marshal data ourselves
        import marshal
        st = pstats.Stats()
        st.stats = marshal.loads(gzip.open(path).read())
        st.get_top_level_stats()
    else:
        st = pstats.Stats(path)
    print('%.9f' % st.total_tt)
    rows = sorted(st.stats.items(), key=lambda kv: -kv[1][2])
    for (file, line, name), v in rows:
        print('%.9f %s %s:%d' % (v[2], name, file, line))


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ''
    if cmd == 'speedscope' and len(argv) >= 4:
        import jsonschema
        sample = None
        if argv[2] == '--schema-sample':
            sample = int(argv[3])
            argv = argv[:2] + argv[4:]
        with open(argv[2]) as f:
            schema = json.load(f)
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        validator = cls(schema)
        for path in argv[3:]:
            speedscope(path, validator, sample)
    elif cmd == 'ssframes' and len(argv) == 3:
        ssframes(argv[2])
    elif cmd == 'stacks' and len(argv) in (3, 4):
        stacks(argv[-1], argv[2] == '--threads')
    elif cmd == 'pprof' and len(argv) == 3:
        pprof(argv[2])
    elif cmd == 'pprofs':
        for path in argv[2:]:
            pprof(path, rows=False)
    elif cmd == 'top' and len(argv) == 3:
        top(argv[2])
    elif cmd == 'pstats' and len(argv) == 3:
        pstats_top(argv[2])
    else:
        fail(__doc__)


if __name__ == '__main__':
    main(sys.argv)
