/* pyset.c - CPython's set of (int, int) pairs, table order and all (pyset.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pyset.h"

#define PY_LINEAR_PROBES 9
#define PY_PERTURB_SHIFT 5

int64_t ps_py_int_hash(int64_t x)
{
    return x == -1 ? -2 : x;     /* node ids and depths are far below 2**61 */
}

int64_t ps_py_pair_hash(int flavour, int64_t a, int64_t b)
{
    if (flavour != PY38) {           /* the multiplicative tuple hash of 3.7 and before */
        uint64_t x = 0x345678ULL, mult = 1000003ULL;
        int64_t items[2] = {a, b};
        for (int i = 0, left = 2; i < 2; i++) {
            left--;
            x = (x ^ (uint64_t)ps_py_int_hash(items[i])) * mult;
            mult += (uint64_t)(82520 + left + left);
        }
        x += 97531ULL;
        if (x == UINT64_MAX)
            x = (uint64_t)-2;
        return (int64_t)x;
    }
    const uint64_t p1 = 11400714785074694791ULL, p2 = 14029467366897019727ULL,
                   p5 = 2870177450012600261ULL;
    uint64_t acc = p5;
    int64_t items[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        acc += (uint64_t)ps_py_int_hash(items[i]) * p2;
        acc = (acc << 31) | (acc >> 33);
        acc *= p1;
    }
    acc += 2 ^ (p5 ^ 3527539ULL);
    if (acc == UINT64_MAX)
        return 1546275796;
    return (int64_t)acc;
}

int ps_pyset_init(pyset *s, int flavour)
{
    s->flavour = flavour;
    s->table = calloc(8, sizeof *s->table);
    s->mask = 7;
    s->fill = s->used = s->finger = 0;
    return s->table ? 0 : -1;
}

void ps_pyset_free(pyset *s)
{
    free(s->table);
    s->table = NULL;
}

static void insert_clean(pyent *table, size_t mask, const pyent *e)
{
    size_t perturb = (size_t)e->hash;
    size_t i = (size_t)e->hash & mask;
    for (;;) {
        pyent *x = &table[i];
        if (x->state == PE_EMPTY)
            goto found;
        if (i + PY_LINEAR_PROBES <= mask)
            for (int j = 0; j < PY_LINEAR_PROBES; j++) {
                x++;
                if (x->state == PE_EMPTY)
                    goto found;
            }
        perturb >>= PY_PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
        continue;
    found:
        *x = *e;
        x->state = PE_ACTIVE;
        return;
    }
}

static int pyset_resize(pyset *s, size_t minused)
{
    size_t newsize = 8;
    while (newsize <= minused)
        newsize <<= 1;
    pyent *nt = calloc(newsize, sizeof *nt);
    if (!nt)
        return -1;
    for (size_t i = 0; i <= s->mask; i++)
        if (s->table[i].state == PE_ACTIVE)
            insert_clean(nt, newsize - 1, &s->table[i]);
    free(s->table);
    s->table = nt;
    s->mask = newsize - 1;
    s->fill = s->used;
    return 0;
}

int ps_pyset_add(pyset *s, int64_t a, int64_t b, int64_t hash)
{
    size_t mask = s->mask, perturb = (size_t)hash, i = (size_t)hash & mask;
    pyent *freeslot = NULL, *x;
    for (;;) {
        x = &s->table[i];
        int probes = i + PY_LINEAR_PROBES <= mask ? PY_LINEAR_PROBES : 0;
        do {
            if (x->state == PE_EMPTY)
                goto unused_or_dummy;
            if (x->state == PE_ACTIVE && x->hash == hash && x->a == a && x->b == b)
                return 0;
            if (x->state == PE_DUMMY && !freeslot)
                freeslot = x;
            x++;
        } while (probes--);
        perturb >>= PY_PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
unused_or_dummy:
    if (freeslot) {
        *freeslot = (pyent){a, b, hash, PE_ACTIVE};
        s->used++;
        return 0;
    }
    *x = (pyent){a, b, hash, PE_ACTIVE};
    s->fill++;
    s->used++;
    if (s->flavour == PY36 ? s->fill * 3 < mask * 2 : s->fill * 5 < mask * 3)
        return 0;
    return pyset_resize(s, s->used > 50000 ? s->used * 2 : s->used * 4);
}

/* set_merge: so |= other */
int ps_pyset_merge(pyset *so, const pyset *other)
{
    if (other->used == 0)
        return 0;
    size_t want = so->fill + other->used;
    int grow = so->flavour == PY36 ? want * 3 >= so->mask * 2 : want * 5 >= so->mask * 3;
    if (grow && pyset_resize(so, (so->used + other->used) * 2) < 0)
        return -1;
    if (so->fill == 0 && so->mask == other->mask && other->fill == other->used) {
        for (size_t i = 0; i <= other->mask; i++)
            if (other->table[i].state == PE_ACTIVE)
                so->table[i] = other->table[i];
        so->fill = other->fill;
        so->used = other->used;
        return 0;
    }
    if (so->fill == 0) {
        so->fill = so->used = other->used;
        for (size_t i = 0; i <= other->mask; i++)
            if (other->table[i].state == PE_ACTIVE)
                insert_clean(so->table, so->mask, &other->table[i]);
        return 0;
    }
    for (size_t i = 0; i <= other->mask; i++) {
        const pyent *x = &other->table[i];
        if (x->state == PE_ACTIVE && ps_pyset_add(so, x->a, x->b, x->hash) < 0)
            return -1;
    }
    return 0;
}

int ps_pyset_copy(pyset *dst, const pyset *src)
{
    if (ps_pyset_init(dst, src->flavour) < 0)
        return -1;
    if (ps_pyset_merge(dst, src) < 0) {
        ps_pyset_free(dst);
        return -1;
    }
    return 0;
}

pyent ps_pyset_pop(pyset *s)
{
    pyent *x = s->table + (s->finger & s->mask), *limit = s->table + s->mask;
    while (x->state != PE_ACTIVE) {
        x++;
        if (x > limit)
            x = s->table;
    }
    pyent out = *x;
    x->state = PE_DUMMY;
    x->hash = -1;
    s->used--;
    s->finger = (size_t)(x - s->table) + 1;
    return out;
}

/* set(keys) - visited, where keys is a set of node ids: CPython copies and
 * discards when keys is more than four times bigger than visited, else it
 * builds the result by insertion.  The members come back in table order. */
int ps_pyset_minus(pyset *out, const pyset *keys, const uint8_t *visited, size_t nvisited)
{
    if ((keys->used >> 2) > nvisited) {
        if (ps_pyset_copy(out, keys) < 0)
            return -1;
        for (size_t i = 0; i <= out->mask; i++) {
            pyent *x = &out->table[i];
            if (x->state == PE_ACTIVE && visited[x->a]) {
                x->state = PE_DUMMY;
                x->hash = -1;
                out->used--;
            }
        }
        return 0;
    }
    if (ps_pyset_init(out, keys->flavour) < 0)
        return -1;
    for (size_t i = 0; i <= keys->mask; i++) {
        const pyent *x = &keys->table[i];
        if (x->state == PE_ACTIVE && !visited[x->a] && ps_pyset_add(out, x->a, 0, x->hash) < 0)
            return -1;
    }
    return 0;
}
