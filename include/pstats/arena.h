/* arena.h - bump allocation for strings and small immutable objects, and the
 * string intern table that makes function keys comparable by pointer. */
#ifndef PSTATS_ARENA_H
#define PSTATS_ARENA_H

#include <stddef.h>
#include <stdint.h>

typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
    size_t used_total;
    char *cur;            /* the free part of the head block: cur .. cur + left */
    size_t left;
} arena;

void  ps_arena_init(arena *a);
void  ps_arena_free(arena *a);
void  ps_arena_reset(arena *a);          /* keep the first block, drop the rest */
void *ps_arena_alloc_block(arena *a, size_t n);   /* ps_arena_alloc's way to a new block */

/* 8-byte aligned; NULL when out of memory.  Inline: the parser allocates
 * for every tuple and string it reads. */
static inline void *ps_arena_alloc(arena *a, size_t n)
{
    n = n ? (n + 7) & ~(size_t)7 : 8;
    if (n > a->left || n < 8)   /* (n < 8: the rounding wrapped) */
        return ps_arena_alloc_block(a, n);
    void *p = a->cur;
    a->cur += n;
    a->left -= n;
    a->used_total += n;
    return p;
}

/* An interned string: text is NUL-terminated; len excludes the NUL.  Two
 * ps_str pointers from one pool are equal iff their bytes are equal. */
typedef struct ps_str {
    uint32_t len;
    uint32_t hash;
    uint32_t cplen;       /* code points (Python's len()) */
    char s[];
} ps_str;

/* slots: open addressing; a slot holds a string's address in its low 48 bits
 * and 16 bits of its hash above them (arena.c says why), 0 when empty. */
typedef struct strpool {
    arena mem;
    uint64_t *slots;
    size_t nslots, count;
} strpool;

void ps_strpool_init(strpool *p);
void ps_strpool_free(strpool *p);
const ps_str *ps_strpool_intern(strpool *p, const char *s, size_t len);
/* The same for a string interned in another pool: its hash is not computed again. */
const ps_str *ps_strpool_intern_str(strpool *p, const ps_str *s);
/* A string of no pool, in a: hash and cplen set as ps_strpool_intern would, so
 * ps_strpool_intern_str takes it without hashing again.  Equal strings made
 * twice are two copies.  NULL when out of memory. */
ps_str *ps_str_new(arena *a, const char *s, size_t len);
/* Room for n more strings without rehashing, and for their text (a hint: -1
 * only when out of memory). */
int ps_strpool_reserve(strpool *p, size_t n);
uint32_t ps_hash_bytes(const void *s, size_t len);

/* Code points in UTF-8 text (an invalid byte counts as one): Python's len(). */
size_t ps_utf8_length(const char *s, size_t len);

#endif
