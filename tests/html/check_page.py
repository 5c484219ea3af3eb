"""Static checks of a prof2html page (no browser): the data blocks cannot end
early and are valid JSON, the Content-Security-Policy allows exactly the
page's own script and style (their SHA-256 hashes) and no request, and the
data agrees with what CPython's pstats reads from the same dump.

usage: python3 check_page.py PAGE.html [DUMP...]
Prints one line per failed check; exit status 1 when any failed.  With DUMPs
(readable by this CPython), every function's ncalls, primitive calls,
tottime, cumtime and every caller edge are compared with
pstats.Stats(*DUMPs) (times to the nanosecond the page keeps)."""
import base64
import hashlib
import json
import pstats
import re
import sys

failures = []


def fail(msg):
    failures.append(msg)


def block(html, ident):
    start_tag = '<script type="application/json" id="%s">' % ident
    i = html.find(start_tag)
    if i < 0:
        fail('no %s block' % ident)
        return None
    i += len(start_tag)
    j = html.find('</script>', i)
    text = html[i:j]
    # Nothing the HTML tokenizer could act on inside a script's data, and no
    # raw line separators (which older JavaScript parsers took for line ends).
    for bad in ('<', '\u2028', '\u2029'):
        if bad in text:
            fail('%s block holds %r' % (ident, bad))
    try:
        return json.loads(text)
    except ValueError as e:
        fail('%s block is not JSON: %s' % (ident, e))
        return None


def sha(text):
    return base64.b64encode(hashlib.sha256(text.encode('utf-8')).digest()).decode()


def check_csp(html):
    metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    if len(metas) != 1:
        fail('expected one CSP meta tag, found %d' % len(metas))
        return
    csp = dict((d.strip().split(' ', 1) + [''])[:2] for d in metas[0].split(';') if d.strip())
    for d, want in (('default-src', "'none'"), ('connect-src', "'none'"), ('img-src', 'data:'),
                    ('base-uri', "'none'"), ('form-action', "'none'"), ('object-src', "'none'")):
        if csp.get(d) != want:
            fail('CSP %s is %r, not %r' % (d, csp.get(d), want))
    scripts = re.findall(r'<script>(.*?)</script>', html, re.S)
    styles = re.findall(r'<style>(.*?)</style>', html, re.S)
    if len(scripts) != 1 or len(styles) != 1:
        fail('expected one inline script and one style, found %d and %d' % (len(scripts), len(styles)))
        return
    if csp.get('script-src') != "'sha256-%s'" % sha(scripts[0]):
        fail('CSP script-src is not the hash of the page script')
    if csp.get('style-src') != "'sha256-%s'" % sha(styles[0]):
        fail('CSP style-src is not the hash of the page style')
    if re.search(r'(src|href)\s*=\s*["\']?(https?:|//)', html):
        fail('the page refers to a network address')


def ns(v):
    return float(v) if isinstance(v, str) else v * 1e-9


def norm(key):
    """A key with a code object for a name (profile.py dumps) compares by the
    code's repr without its address (the page holds the text the dump had)."""
    file, line, name = key
    if not isinstance(name, str):
        name = repr(name)
    if name.startswith('<code object '):
        name = re.sub(r' at 0x[0-9a-f]+', '', name)
    return (file, line, name)


def check_against_pstats(d, e, dumps):
    st = pstats.Stats(*dumps)
    st.stats = {norm(k): (v[0], v[1], v[2], v[3], {norm(c): x for c, x in v[4].items()})
                for k, v in st.stats.items()}
    S = d['str']
    key_of = [norm((S[d['ff'][f]], int(d['fl'][f]), S[d['fn'][f]])) for f in range(len(d['ff']))]
    ents = range(len(d['nc']))   # entry i is function i
    if len(ents) != len(st.stats):
        fail('%d functions in the page, pstats has %d' % (len(ents), len(st.stats)))
    if d['total_calls'] != st.total_calls or d['prim_calls'] != st.prim_calls:
        fail('calls %s/%s, pstats %s/%s' % (d['total_calls'], d['prim_calls'], st.total_calls,
                                            st.prim_calls))
    if abs(ns(d['total_tt']) - st.total_tt) > 1e-9 * max(1, len(ents)):
        fail('total time %s, pstats %s' % (ns(d['total_tt']), st.total_tt))
    eoff = 0
    seen = set()
    for i, f in enumerate(ents):
        key = key_of[f]
        seen.add(key)
        if key not in st.stats:
            fail('%r is not in pstats' % (key,))
            eoff += d['en'][i]
            continue
        cc, nc, tt, ct, callers = st.stats[key]
        got = (d['nc'][i], d['nc'][i] - d['pc'][i])
        if got != (nc, cc):
            fail('%r: calls %s, pstats %s' % (key, got, (nc, cc)))
        for name, mine, ref in (('tottime', ns(d['tt'][i]), tt), ('cumtime', ns(d['ct'][i]), ct)):
            if not abs(mine - ref) <= 0.5e-9 + 1e-15 * abs(ref):
                fail('%r: %s %r, pstats %r' % (key, name, mine, ref))
        if d['en'][i] != len(callers):
            fail('%r: %d callers, pstats %d' % (key, d['en'][i], len(callers)))
        elif e is not None:
            for k in range(eoff, eoff + d['en'][i]):
                ck = key_of[e['ec'][k]]
                ref = callers.get(ck)
                if ref is None:
                    fail('%r: caller %r unknown to pstats' % (key, ck))
                elif isinstance(ref, tuple):
                    mine = (e['enc'][k], e['enc'][k] - e['epc'][k], ns(e['ett'][k]), ns(e['ect'][k]))
                    if mine[:2] != ref[:2] or any(abs(a - b) > 0.5e-9 + 1e-15 * abs(b)
                                                  for a, b in zip(mine[2:], ref[2:])):
                        fail('%r <- %r: %r, pstats %r' % (key, ck, mine, ref))
                elif e['enc'][k] != ref or k not in set(e['eint']):
                    fail('%r <- %r: %r, pstats %r' % (key, ck, e['enc'][k], ref))
        eoff += d['en'][i]
    if seen != set(st.stats):
        fail('functions missing from the page: %r' % sorted(set(st.stats) - seen)[:3])


def main(argv):
    with open(argv[1], encoding='utf-8') as fp:
        html = fp.read()
    check_csp(html)
    d = block(html, 'profile-data')
    e = block(html, 'profile-edges')
    if d is not None and e is not None:
        if e['n'] != sum(d['en']) or any(len(e[k]) != e['n'] for k in ('ec', 'enc', 'epc', 'ett', 'ect')):
            fail('edge arrays do not match the callers counts')
        n = len(d['ff'])
        if any(len(d[k]) != n for k in ('fn', 'fl')) or any(len(d[k]) != len(d['nc'])
                                                               for k in ('pc', 'tt', 'ct', 'en')):
            fail('function arrays of different lengths')
        if not (len(d['td']) == len(d['tf']) == len(d['ts'])):
            fail('tree arrays of different lengths')
        # preorder: each node is at most one level below the one before, roots at 0
        if d['td'] and d['td'][0] != 0 or any(b > a + 1 for a, b in zip(d['td'], d['td'][1:])):
            fail('the tree is not in preorder')
        if any(not 0 <= f < n for f in d['tf']):
            fail('tree frame out of range')
        if len(argv) > 2:
            check_against_pstats(d, e, argv[2:])
    for f in failures[:20]:
        print(f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
