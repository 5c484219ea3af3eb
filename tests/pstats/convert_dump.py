"""Make a dump that Python 3 cannot read (2.7 dumps, profile.py dumps whose code objects
come from another 3.x version) readable by the recording CPython, for golden recording only.

  writer$ python convert_dump.py export SRC MID   # run by the CPython that wrote SRC
  target$ python convert_dump.py import MID OUT   # run by the CPython that records

`export` loads SRC with the writer's own marshal and writes MID (marshal version 2) as a
list of [key, value] pairs in the writer's iteration order (3.x: file order; 2.7: the 2.7
dict order), with every Python 2 str turned into unicode and every code object replaced by
the tag (u'\\x00code', co_name, co_filename, co_firstlineno).  `import` rebuilds the dict in
that order, turns tags back into (native) code objects with the same name, file name and
first line -- so their repr, which pstats prints, is the same apart from the address -- and
writes it with the recording CPython's default marshal version.
Used by record.sh; nothing here is needed to replay goldens.
"""
from __future__ import print_function

import marshal
import sys
import types

TAG = u'\x00code'
PY2 = sys.version_info[0] == 2


def export_obj(obj):
    if PY2 and isinstance(obj, str):
        try:
            return obj.decode('utf-8')
        except UnicodeDecodeError:
            return obj.decode('latin-1')
    if isinstance(obj, types.CodeType):
        return (TAG, export_obj(obj.co_name), export_obj(obj.co_filename),
                obj.co_firstlineno)
    if isinstance(obj, tuple):
        return tuple(export_obj(x) for x in obj)
    if isinstance(obj, list):
        return [export_obj(x) for x in obj]
    if isinstance(obj, dict):
        return [[export_obj(k), export_obj(v)] for k, v in obj.items()]
    return obj


def import_obj(obj, top=False):
    if isinstance(obj, tuple):
        if len(obj) == 4 and obj[0] == TAG:
            code = compile('', obj[2], 'exec')
            return code.replace(co_name=obj[1], co_firstlineno=obj[3])
        return tuple(import_obj(x) for x in obj)
    if isinstance(obj, list):
        # every exported dict became a list of [key, value] pairs
        d = {}
        for k, v in obj:
            d[import_obj(k)] = import_obj(v)
        return d
    return obj


def main():
    mode, src, dst = sys.argv[1:4]
    with open(src, 'rb') as f:
        obj = marshal.load(f)
    if mode == 'export':
        out = export_obj(obj)
        with open(dst, 'wb') as f:
            marshal.dump(out, f, 2)
    elif mode == 'import':
        out = import_obj(obj)
        with open(dst, 'wb') as f:
            marshal.dump(out, f)
    else:
        raise SystemExit('usage: convert_dump.py export|import SRC DST')


if __name__ == '__main__':
    main()
