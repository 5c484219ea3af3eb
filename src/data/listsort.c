/* listsort.c - CPython's list.sort (timsort with powersort's merge policy),
 * step for step, so that inconsistent comparisons give CPython's order.
 *
 * Why: pstats sorts with list.sort and a comparison of tuples field by field
 * with `<` and `>`.  A NaN time is neither less nor greater than anything, so
 * with NaN sort keys the comparison is no order at all (a < b, b == NaN ==
 * a...), and the result is whatever list.sort's exact sequence of compares
 * and moves makes of it.  Any stable sort gives CPython's order when the
 * comparison is consistent (sort.c keeps its faster sorts for that case);
 * with a NaN only the same steps do.  Every step below is one CPython takes,
 * in the same order, asking only "x < y?".
 *
 * The algorithm, as CPython 3.11-3.13 run it on a list of n items:
 *
 *  - minrun: n itself when n < 64; else a number in 32..64 such that n/minrun
 *    is just below a power of two (take the top six bits of n, plus one if
 *    any lower bit is set).
 *  - Walk left to right finding natural runs.  A run is ascending
 *    (a[i+1] < a[i] never true) or descending, descending runs being
 *    reversed in place.  3.11/3.12: a descending run is strictly descending
 *    (each next item < the one before).  3.13: a descending run may hold
 *    stretches of equal items (neither < the other); each such stretch is
 *    reversed on its own first, so the final reversal keeps equal items in
 *    their order, and after the reversal the run is extended with any
 *    items that do not go below its last one.
 *  - A run shorter than minrun is extended to min(minrun, items left) by
 *    binary insertion: each new item goes after every item it is not less
 *    than, the search probing the middle (l + r) / 2 of [l, r).
 *  - Before a new run is pushed on the stack of pending runs, the top run's
 *    "power" is computed: the first bit at which the midpoints of the top
 *    run and of the new run, as fractions of n, differ.  While the run below
 *    the top has a greater power than that, the two topmost pending runs are
 *    merged.  At the end the stack is collapsed from the top, merging the
 *    top two runs, or the two below them when the third from the top is
 *    shorter than the top one.
 *  - Merging runs A (left) and B (right): first gallop to find where B's
 *    first item goes in A (items of A before that stay), and where A's last
 *    item goes in B (items of B after that stay); then merge the rest from
 *    the left (merge_lo, A copied aside) when A is not longer, else from the
 *    right (merge_hi, B copied aside).  A merge takes one item at a time
 *    until one side has won min_gallop times in a row, then gallops
 *    (exponential then binary search for how many items of one side go
 *    next) until both sides win fewer than 7 in a row; min_gallop (7 at
 *    first, shared by all merges of one sort) drops by one each round of
 *    galloping and rises by one each time galloping stops.
 *  - Gallop left finds where a key goes before the items equal to it,
 *    gallop right after them: from a hint, probe at offsets 1, 3, 7, 15...
 *    away until the key is passed, then binary search in the last gap.
 *
 * Data moves as in CPython too: ids are uint32_t where CPython has object
 * pointers, and nothing else differs.  Merges need at most n/2 ids aside. */
#include <stdlib.h>
#include <string.h>
#include "listsort.h"

#define MIN_GALLOP 7
#define MAX_MINRUN 64
#define MAX_PENDING 80     /* log2(n) + 1 runs at most: 33 for uint32_t ids */

typedef struct pending {
    size_t base, len;
    int power;             /* depth of the boundary after it in the merge tree */
} pending;

typedef struct msort {
    uint32_t *v;           /* the whole list */
    size_t n;
    uint32_t *tmp;         /* room for n / 2 + 1 ids */
    size_t min_gallop;
    sort_cmp_fn cmp;
    void *ctx;
    int npending;
    pending run[MAX_PENDING];
} msort;

/* Python's x < y */
#define LT(x, y) (m->cmp((x), (y), m->ctx) < 0)

static void reverse(uint32_t *a, size_t n)
{
    for (size_t i = 0, j = n - 1; n > 1 && i < j; i++, j--) {
        uint32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* Sorts a[0..n) of which a[0..ok) is sorted already, by binary insertion. */
static void binarysort(msort *m, uint32_t *a, size_t n, size_t ok)
{
    if (ok == 0)
        ok = 1;
    for (; ok < n; ok++) {
        uint32_t pivot = a[ok];
        size_t l = 0, r = ok;
        do {
            size_t mid = (l + r) >> 1;
            if (LT(pivot, a[mid]))
                r = mid;
            else
                l = mid + 1;
        } while (l < r);
        memmove(a + l + 1, a + l, (ok - l) * sizeof *a);
        a[l] = pivot;
    }
}

/* 3.11/3.12: the run starting at a, ascending (non-descending) or strictly
 * descending, made ascending; its length. */
static size_t count_run_311(msort *m, uint32_t *a, size_t left)
{
    if (left == 1)
        return 1;
    size_t n = 2;
    if (LT(a[1], a[0])) {
        while (n < left && LT(a[n], a[n - 1]))
            n++;
        reverse(a, n);
    } else {
        while (n < left && !LT(a[n], a[n - 1]))
            n++;
    }
    return n;
}

/* 3.13: descending runs may hold equal stretches (each reversed on its own,
 * so they keep their order), and a reversed run goes on ascending. */
static size_t count_run_313(msort *m, uint32_t *a, size_t left)
{
    size_t n;
    for (n = 1; n < left; n++)
        if (LT(a[n], a[n - 1]))
            break;
    if (n == left)
        return n;
    /* a[n] < a[n-1]: an ascending run ends here, unless all of it is equal */
    if (n > 1) {
        if (LT(a[0], a[n - 1]))
            return n;
        reverse(a, n);
    }
    n++;
    size_t neq = 0;    /* a[n-1-neq..n) are equal so far */
    for (; n < left; n++) {
        if (LT(a[n], a[n - 1])) {
            if (neq) {
                reverse(a + n - neq - 1, neq + 1);
                neq = 0;
            }
        } else if (LT(a[n - 1], a[n])) {
            break;
        } else {
            neq++;
        }
    }
    if (neq)
        reverse(a + n - neq - 1, neq + 1);
    reverse(a, n);
    for (; n < left; n++)
        if (LT(a[n], a[n - 1]))
            break;
    return n;
}

/* Where key goes in the sorted a[0..n), before any item equal to it: the k
 * with a[k-1] < key <= a[k].  The search starts at a[hint]. */
static size_t gallop_left(msort *m, uint32_t key, const uint32_t *a, size_t n, size_t hint)
{
    ptrdiff_t lastofs = 0, ofs = 1;
    if (LT(a[hint], key)) {
        /* gallop right: a[hint + lastofs] < key <= a[hint + ofs] */
        ptrdiff_t maxofs = (ptrdiff_t)(n - hint);
        while (ofs < maxofs) {
            if (!LT(a[hint + ofs], key))
                break;
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs)
            ofs = maxofs;
        lastofs += (ptrdiff_t)hint;
        ofs += (ptrdiff_t)hint;
    } else {
        /* gallop left: a[hint - ofs] < key <= a[hint - lastofs] */
        ptrdiff_t maxofs = (ptrdiff_t)hint + 1;
        while (ofs < maxofs) {
            if (LT(a[hint - ofs], key))
                break;
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs)
            ofs = maxofs;
        ptrdiff_t k = lastofs;
        lastofs = (ptrdiff_t)hint - ofs;
        ofs = (ptrdiff_t)hint - k;
    }
    /* a[lastofs] < key <= a[ofs]: binary search in between */
    lastofs++;
    while (lastofs < ofs) {
        ptrdiff_t mid = lastofs + ((ofs - lastofs) >> 1);
        if (LT(a[mid], key))
            lastofs = mid + 1;
        else
            ofs = mid;
    }
    return (size_t)ofs;
}

/* Like gallop_left, but after any item equal to key: a[k-1] <= key < a[k]. */
static size_t gallop_right(msort *m, uint32_t key, const uint32_t *a, size_t n, size_t hint)
{
    ptrdiff_t lastofs = 0, ofs = 1;
    if (LT(key, a[hint])) {
        /* gallop left: a[hint - ofs] <= key < a[hint - lastofs] */
        ptrdiff_t maxofs = (ptrdiff_t)hint + 1;
        while (ofs < maxofs) {
            if (!LT(key, a[hint - ofs]))
                break;
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs)
            ofs = maxofs;
        ptrdiff_t k = lastofs;
        lastofs = (ptrdiff_t)hint - ofs;
        ofs = (ptrdiff_t)hint - k;
    } else {
        /* gallop right: a[hint + lastofs] <= key < a[hint + ofs] */
        ptrdiff_t maxofs = (ptrdiff_t)(n - hint);
        while (ofs < maxofs) {
            if (LT(key, a[hint + ofs]))
                break;
            lastofs = ofs;
            ofs = (ofs << 1) + 1;
        }
        if (ofs > maxofs)
            ofs = maxofs;
        lastofs += (ptrdiff_t)hint;
        ofs += (ptrdiff_t)hint;
    }
    lastofs++;
    while (lastofs < ofs) {
        ptrdiff_t mid = lastofs + ((ofs - lastofs) >> 1);
        if (LT(key, a[mid]))
            ofs = mid;
        else
            lastofs = mid + 1;
    }
    return (size_t)ofs;
}

/* Merges v[pa..pa+na) and the run right after it, nb items, from the left;
 * na <= nb.  The A run goes aside into tmp.  Positions are indexes: v is
 * the list, t the copy of A; d the next slot written. */
static void merge_lo(msort *m, size_t pa, size_t na, size_t nb)
{
    uint32_t *v = m->v, *t = m->tmp;
    size_t d = pa, a = 0, b = pa + na;
    memcpy(t, v + pa, na * sizeof *v);
    v[d++] = v[b++];
    if (--nb == 0)
        goto done;
    if (na == 1)
        goto last_a;
    size_t min_gallop = m->min_gallop;
    for (;;) {
        size_t acount = 0, bcount = 0;   /* wins in a row */
        for (;;) {
            if (LT(v[b], t[a])) {
                v[d++] = v[b++];
                bcount++;
                acount = 0;
                if (--nb == 0)
                    goto done;
                if (bcount >= min_gallop)
                    break;
            } else {
                v[d++] = t[a++];
                acount++;
                bcount = 0;
                if (--na == 1)
                    goto last_a;
                if (acount >= min_gallop)
                    break;
            }
        }
        min_gallop++;
        do {
            min_gallop -= min_gallop > 1;
            m->min_gallop = min_gallop;
            size_t k = gallop_right(m, v[b], t + a, na, 0);
            acount = k;
            if (k) {
                memcpy(v + d, t + a, k * sizeof *v);
                d += k;
                a += k;
                na -= k;
                if (na == 1)
                    goto last_a;
                if (na == 0)        /* only with an inconsistent comparison */
                    goto done;
            }
            v[d++] = v[b++];
            if (--nb == 0)
                goto done;
            k = gallop_left(m, t[a], v + b, nb, 0);
            bcount = k;
            if (k) {
                memmove(v + d, v + b, k * sizeof *v);
                d += k;
                b += k;
                nb -= k;
                if (nb == 0)
                    goto done;
            }
            v[d++] = t[a++];
            if (--na == 1)
                goto last_a;
        } while (acount >= MIN_GALLOP || bcount >= MIN_GALLOP);
        min_gallop++;               /* penalty for leaving galloping */
        m->min_gallop = min_gallop;
    }
done:
    if (na)
        memcpy(v + d, t + a, na * sizeof *v);
    return;
last_a:                             /* A's last item goes after all of B */
    memmove(v + d, v + b, nb * sizeof *v);
    v[d + nb] = t[a];
}

/* Merges v[pa..pa+na) and the nb items after it from the right; na >= nb.
 * The B run goes aside into tmp.  Indexes count down, and are signed: they
 * reach -1 when a side is used up. */
static void merge_hi(msort *m, size_t pa, size_t na, size_t nb)
{
    uint32_t *v = m->v, *t = m->tmp;
    ptrdiff_t pb = (ptrdiff_t)(pa + na);
    ptrdiff_t d = pb + (ptrdiff_t)nb - 1, a = pb - 1, b = (ptrdiff_t)nb - 1;
    memcpy(t, v + pb, nb * sizeof *v);
    v[d--] = v[a--];
    if (--na == 0)
        goto done;
    if (nb == 1)
        goto first_b;
    size_t min_gallop = m->min_gallop;
    for (;;) {
        size_t acount = 0, bcount = 0;
        for (;;) {
            if (LT(t[b], v[a])) {
                v[d--] = v[a--];
                acount++;
                bcount = 0;
                if (--na == 0)
                    goto done;
                if (acount >= min_gallop)
                    break;
            } else {
                v[d--] = t[b--];
                bcount++;
                acount = 0;
                if (--nb == 1)
                    goto first_b;
                if (bcount >= min_gallop)
                    break;
            }
        }
        min_gallop++;
        do {
            min_gallop -= min_gallop > 1;
            m->min_gallop = min_gallop;
            size_t k = na - gallop_right(m, t[b], v + pa, na, na - 1);
            acount = k;
            if (k) {
                d -= (ptrdiff_t)k;
                a -= (ptrdiff_t)k;
                memmove(v + d + 1, v + a + 1, k * sizeof *v);
                na -= k;
                if (na == 0)
                    goto done;
            }
            v[d--] = t[b--];
            if (--nb == 1)
                goto first_b;
            k = nb - gallop_left(m, v[a], t, nb, nb - 1);
            bcount = k;
            if (k) {
                d -= (ptrdiff_t)k;
                b -= (ptrdiff_t)k;
                memcpy(v + d + 1, t + b + 1, k * sizeof *v);
                nb -= k;
                if (nb == 1)
                    goto first_b;
                if (nb == 0)        /* only with an inconsistent comparison */
                    goto done;
            }
            v[d--] = v[a--];
            if (--na == 0)
                goto done;
        } while (acount >= MIN_GALLOP || bcount >= MIN_GALLOP);
        min_gallop++;
        m->min_gallop = min_gallop;
    }
done:
    if (nb)
        memcpy(v + d - (ptrdiff_t)nb + 1, t, nb * sizeof *v);
    return;
first_b:                            /* B's first item goes before all of A */
    memmove(v + d - (ptrdiff_t)na + 1, v + a - (ptrdiff_t)na + 1, na * sizeof *v);
    v[d - (ptrdiff_t)na] = t[b];
}

/* Merges pending runs i and i + 1 (i is the second or third from the top). */
static void merge_at(msort *m, int i)
{
    pending *p = m->run;
    size_t pa = p[i].base, na = p[i].len, pb = p[i + 1].base, nb = p[i + 1].len;
    p[i].len = na + nb;
    if (i == m->npending - 3)
        p[i + 1] = p[i + 2];
    m->npending--;
    /* A's items before B's first, and B's items after A's last, stay */
    size_t k = gallop_right(m, m->v[pb], m->v + pa, na, 0);
    pa += k;
    na -= k;
    if (na == 0)
        return;
    nb = gallop_left(m, m->v[pa + na - 1], m->v + pb, nb, nb - 1);
    if (nb == 0)
        return;
    if (na <= nb)
        merge_lo(m, pa, na, nb);
    else
        merge_hi(m, pa, na, nb);
}

/* The power of the boundary between the run at s1 (n1 items) and the next
 * (n2 items) in a list of n: the first bit where the binary fractions of
 * their midpoints, 2*s1+n1 and 2*s1+2*n1+n2 over 2n, differ. */
static int powerloop(size_t s1, size_t n1, size_t n2, size_t n)
{
    int power = 0;
    size_t a = 2 * s1 + n1, b = a + n1 + n2;
    for (;;) {
        power++;
        if (a >= n) {
            a -= n;
            b -= n;
        } else if (b >= n) {
            break;
        }
        a <<= 1;
        b <<= 1;
    }
    return power;
}

static void found_new_run(msort *m, size_t n2)
{
    if (m->npending == 0)
        return;
    pending *p = m->run;
    int top = m->npending - 1;
    int power = powerloop(p[top].base, p[top].len, n2, m->n);
    while (m->npending > 1 && p[m->npending - 2].power > power)
        merge_at(m, m->npending - 2);
    p[m->npending - 1].power = power;
}

static size_t compute_minrun(size_t n)
{
    size_t r = 0;
    while (n >= MAX_MINRUN) {
        r |= n & 1;
        n >>= 1;
    }
    return n + r;
}

int ps_listsort(uint32_t *ids, size_t n, sort_cmp_fn cmp, void *ctx, int flavour)
{
    if (n < 2)
        return 0;
    msort m = {ids, n, NULL, MIN_GALLOP, cmp, ctx, 0, {{0, 0, 0}}};
    if (n >= MAX_MINRUN) {          /* smaller lists are one run, never merged */
        m.tmp = malloc((n / 2 + 1) * sizeof *m.tmp);
        if (!m.tmp)
            return -1;
    }
    size_t minrun = compute_minrun(n), lo = 0, left = n;
    do {
        size_t len = flavour == PS_LISTSORT_313 ? count_run_313(&m, ids + lo, left)
                                                : count_run_311(&m, ids + lo, left);
        if (len < minrun) {
            size_t force = left <= minrun ? left : minrun;
            binarysort(&m, ids + lo, force, len);
            len = force;
        }
        found_new_run(&m, len);
        m.run[m.npending].base = lo;
        m.run[m.npending].len = len;
        m.npending++;
        lo += len;
        left -= len;
    } while (left);
    while (m.npending > 1) {        /* collapse what is left, from the top */
        int i = m.npending - 2;
        if (i > 0 && m.run[i - 1].len < m.run[i + 1].len)
            i--;
        merge_at(&m, i);
    }
    free(m.tmp);
    return 0;
}
