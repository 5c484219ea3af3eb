/* arena.c - bump allocator and string intern table.
 *
 * The intern table is not the library's index (base/index.h) because what
 * it gives back is the string's address, and its slots hold that address
 * itself: the index holds 32-bit ids into an array of the caller's, which
 * here would be an array of the addresses: one more dependent load on every
 * lookup, and the loaders look up every file and name they read.
 *
 * A slot also holds 16 bits of its string's hash, above the address's 48
 * (a process's addresses are under 2**48 on every 64-bit Linux unless it
 * asks mmap for more): a probe that meets another string skips it by those
 * bits instead of reading the string's header, a cache miss each in a big
 * load (synth.prof: 38 % of the intern's time went to those reads). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "pstats/arena.h"
#include "grow.h"
#include "mem.h"

struct arena_block {
    arena_block *next;
    size_t size;
    max_align_t align_[];
};

#define ARENA_MIN_BLOCK (64 * 1024)

void ps_arena_init(arena *a)
{
    a->head = NULL;
    a->used_total = 0;
    a->cur = NULL;
    a->left = 0;
}

void ps_arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    ps_arena_init(a);
}

void ps_arena_reset(arena *a)
{
    if (!a->head)
        return;
    /* Keep the oldest block (the tail of the list): it is the usual size. */
    arena_block *b = a->head;
    while (b->next) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = b;
    a->used_total = 0;
    a->cur = (char *)b->align_;
    a->left = b->size;
}

/* ps_arena_alloc's way when the head block is full: a new block (n is rounded). */
void *ps_arena_alloc_block(arena *a, size_t n)
{
    return ps_arena_alloc_block_part(a, n, SIZE_MAX);
}

void *ps_arena_alloc_block_part(arena *a, size_t n, size_t full)
{
    if (n < 8)
        return NULL;
    size_t size = n > ARENA_MIN_BLOCK ? n : ARENA_MIN_BLOCK;
    if (a->used_total > 16 * ARENA_MIN_BLOCK && size < a->used_total / 4)
        size = a->used_total / 4;   /* grow blocks geometrically */
    if (size > SIZE_MAX - sizeof(arena_block))
        return NULL;
    /* Big blocks fill up completely: whole huge pages (the block rounded up
     * to them) save most of their page faults. */
    if (size >= PS_HUGE_PAGE && size <= SIZE_MAX - PS_HUGE_PAGE - sizeof(arena_block))
        size = ((sizeof(arena_block) + size + PS_HUGE_PAGE - 1) & ~(PS_HUGE_PAGE - 1)) - sizeof(arena_block);
    arena_block *nb = ps_mem_alloc_huge_part(sizeof *nb + size,
                                             full < SIZE_MAX - sizeof *nb ? sizeof *nb + full : full);
    if (!nb)
        return NULL;
    nb->size = size;
    nb->next = a->head;
    a->head = nb;
    a->cur = (char *)nb->align_ + n;
    a->left = size - n;
    a->used_total += n;
    return nb->align_;
}

/* Room for n bytes (an estimate) in a's current block: a new block of them
 * if it has not, its huge pages as ps_mem_alloc_huge_part's.  0, or -1
 * when out of memory. */
static int arena_room(arena *a, size_t n)
{
    if (a->left >= n)
        return 0;
    if (n > SIZE_MAX / 2 || !ps_arena_alloc_block_part(a, n, n))
        return -1;
    /* (the block's bytes given back: room, not an allocation) */
    a->cur -= n;
    a->left += n;
    a->used_total -= n;
    return 0;
}

uint32_t ps_hash_bytes(const void *s, size_t len)
{
    /* Eight bytes a step, then a final mix so the low bits (the table
     * index) depend on every byte: a byte-at-a-time hash cost more than the
     * table lookup it served (100+ cycles for a 25-byte file name). */
    const unsigned char *p = s;
    uint64_t h = 0x9E3779B97F4A7C15u ^ (uint64_t)len;
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9u;
        h ^= h >> 31;
    }
    /* the last 0-7 bytes as a little-endian word, read as two overlapping
     * pieces (their common bytes ORed twice), not a byte at a time */
    uint64_t w = 0;
    if (len >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, p, 4);
        memcpy(&hi, p + len - 4, 4);
        w = (uint64_t)lo | (uint64_t)hi << (8 * (len - 4));
    } else if (len) {
        w = (uint64_t)p[0] | (uint64_t)p[len / 2] << (8 * (len / 2)) |
            (uint64_t)p[len - 1] << (8 * (len - 1));
    }
    h = (h ^ w) * 0x94D049BB133111EBu;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9u;
    return (uint32_t)(h >> 32);
}

void ps_strpool_init(strpool *p)
{
    ps_arena_init(&p->mem);
    p->slots = NULL;
    p->nslots = 0;
    p->count = 0;
}

void ps_strpool_free(strpool *p)
{
    ps_arena_free(&p->mem);
    free(p->slots);
    p->slots = NULL;
    p->nslots = p->count = 0;
}

#define SLOT_ADDR (((uint64_t)1 << 48) - 1)

/* A slot's tag: never 0, so that a slot is 0 only when empty. */
static inline uint64_t slot_tag(uint32_t h)
{
    return (uint64_t)((h >> 16) | 1) << 48;
}

static inline const ps_str *slot_str(uint64_t v)
{
    return (const ps_str *)(uintptr_t)(v & SLOT_ADDR);
}

/* Rehash into a table of n slots (a power of two, more than twice the count). */
static int strpool_resize(strpool *p, size_t n)
{
    /* zeroed by a write, not by calloc: a probe reads a slot before the
     * insert writes it, and a page read first (the kernel's zero page)
     * then written costs two page faults */
    if (n > SIZE_MAX / sizeof *p->slots)
        return -1;
    uint64_t *slots = ps_mem_alloc_huge(n * sizeof *slots);
    if (!slots)
        return -1;
    memset(slots, 0, n * sizeof *slots);
    for (size_t i = 0; i < p->nslots; i++) {
        /* The strings' hashes are scattered over the arena: fetch ahead. */
        if (i + 16 < p->nslots && p->slots[i + 16])
            __builtin_prefetch(&slot_str(p->slots[i + 16])->hash);
        if (!p->slots[i])
            continue;
        size_t j = slot_str(p->slots[i])->hash & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = p->slots[i];
    }
    free(p->slots);
    p->slots = slots;
    p->nslots = n;
    return 0;
}

static int strpool_grow(strpool *p)
{
    return strpool_resize(p, p->nslots ? p->nslots * 2 : 1024);
}

int ps_strpool_reserve(strpool *p, size_t n)
{
    size_t want = ps_table_slots(p->nslots, 1024, p->count + n, (size_t)1 << 40);
    if (want > p->nslots && strpool_resize(p, want) < 0)
        return -1;
    /* and their text, some 32 bytes a string (a name and its header), in one
     * block of huge pages from 2 MB, rather than the arena's blocks of 64 kB
     * and more on 4 kB pages, a page fault each (synth.prof's load: 1,400 of
     * its 3,900; the sampled bench's 100k names: 385) */
    return n <= SIZE_MAX / 32 && n * 32 >= PS_HUGE_PAGE ? arena_room(&p->mem, n * 32) : 0;
}

static const ps_str *intern_hashed(strpool *p, const char *s, size_t len, uint32_t h,
                                   uint32_t cplen, int have_cplen);

/* n (room for len + 1 bytes of text, or NULL) made the string s. */
static ps_str *str_fill(ps_str *n, const char *s, size_t len, uint32_t h, uint32_t cplen)
{
    if (!n)
        return NULL;
    n->len = (uint32_t)len;
    n->hash = h;
    n->cplen = cplen;
    if (len)
        memcpy(n->s, s, len);
    n->s[len] = '\0';
    return n;
}

const ps_str *ps_strpool_intern(strpool *p, const char *s, size_t len)
{
    if (len > UINT32_MAX - 1)
        return NULL;
    return intern_hashed(p, s, len, ps_hash_bytes(s, len), 0, 0);
}

const ps_str *ps_strpool_intern_str(strpool *p, const ps_str *s)
{
    return intern_hashed(p, s->s, s->len, s->hash, s->cplen, 1);
}

static const ps_str *intern_hashed(strpool *p, const char *s, size_t len, uint32_t h,
                                   uint32_t cplen, int have_cplen)
{
    if ((p->count + 1) * 2 > p->nslots && strpool_grow(p) < 0)
        return NULL;
    size_t mask = p->nslots - 1, j = h & mask;
    uint64_t tag = slot_tag(h);
    for (uint64_t v; (v = p->slots[j]); j = (j + 1) & mask) {
        const ps_str *c = slot_str(v);
        if ((v & ~SLOT_ADDR) == tag && c->hash == h && c->len == len &&
            memcmp(c->s, s, len) == 0)
            return c;
    }
    ps_str *n = str_fill(ps_arena_alloc(&p->mem, sizeof *n + len + 1), s, len, h,
                         have_cplen ? cplen : (uint32_t)ps_utf8_length(s, len));
    if (!n || (uintptr_t)n > SLOT_ADDR)   /* (an address above 2**48: not on Linux) */
        return NULL;
    p->slots[j] = (uintptr_t)n | tag;
    p->count++;
    return n;
}

ps_str *ps_str_new(arena *a, const char *s, size_t len)
{
    if (len > UINT32_MAX - 1)
        return NULL;
    return str_fill(ps_arena_alloc(a, sizeof(ps_str) + len + 1), s, len, ps_hash_bytes(s, len),
                    (uint32_t)ps_utf8_length(s, len));
}

size_t ps_utf8_length(const char *s, size_t len)
{
    size_t ascii = 0;
    for (uint64_t w; ascii + 8 <= len; ascii += 8) {   /* eight ASCII bytes a step */
        memcpy(&w, s + ascii, 8);
        if (w & 0x8080808080808080u)
            break;
    }
    while (ascii < len && (unsigned char)s[ascii] < 0x80)
        ascii++;
    if (ascii == len)
        return len;
    size_t n = 0;
    for (size_t i = 0; i < len; n++) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4 : 1;
        if (k > 1) {
            if (i + k > len)
                k = 1;
            else
                for (size_t j = 1; j < k; j++)
                    if (((unsigned char)s[i + j] & 0xC0) != 0x80) {
                        k = 1;
                        break;
                    }
        }
        i += k;
    }
    return n;
}
