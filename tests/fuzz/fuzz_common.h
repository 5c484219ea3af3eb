/* fuzz_common.h - shared by the libFuzzer targets in tests/fuzz/ (built by
 * tests/fuzz/run.sh with clang -fsanitize=fuzzer,address,undefined) and by
 * their replay builds (tests/fuzz/replay_main.c, built by make check).
 *
 * Besides the sanitizers, the targets check the library's contract: a failure
 * is an error value with a code, one line of text (no newline) and a byte
 * offset inside the input (or -1).  A broken contract aborts, so the fuzzer
 * reports it like a crash. */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/error.h"
#include "pstats/folded.h"
#include "pstats/marshal.h"
#include "pstats/stats.h"

/* Limit of gzip expansion inside the targets (the programs use MARSHAL_GUNZIP_LIMIT). */
#define FUZZ_GUNZIP_LIMIT ((size_t)64 << 20)

/* Bounded work per input (the library's limits are the programs'; these are the
 * harness's, so that a few kilobytes of input cost milliseconds, not seconds):
 * a loaded dump with more entries than FUZZ_MAX_ENTRIES is not exported, and
 * the stack estimates (folded, SVG, HTML, speedscope, pprof, flame diffs) stop
 * at FUZZ_STACKS_DEPTH frames and callee shares under FUZZ_STACKS_FRACTION. */
#define FUZZ_MAX_ENTRIES 256
#define FUZZ_STACKS_DEPTH 48
#define FUZZ_STACKS_FRACTION 1e-3
/* A fuzzer runs the library a million times in one process.  glibc hands the
 * top of the heap back to the kernel whenever more than 128 kB of it is free
 * (brk: a TLB flush), and serves blocks over 128 kB by mmap (munmap: the
 * same); the next input then faults in fresh zeroed pages.  That was half of
 * fuzz_sampled's time.  Keep the heap: each input frees all it allocated, so
 * the memory is reused, not leaked (ASan's allocator ignores this). */
__attribute__((constructor)) static void fuzz_keep_heap(void)
{
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

/* replay_main.c defines it: replayed inputs (tests/fuzz/regress/, found before
 * or after these caps) run uncapped, with the programs' defaults. */
extern int fuzz_replay __attribute__((weak));

static inline void fuzz_fail(const char *what, const ps_error *e)
{
    fprintf(stderr, "fuzz contract broken: %s (code %d, offset %lld, msg \"%s\")\n", what,
            e ? e->code : -1, e ? e->offset : -2LL, e ? e->msg : "");
    abort();
}

/* An error value as the programs print it: known code, one non-empty line,
 * an offset within [0, len] or -1. */
static inline void fuzz_check_error(const ps_error *e, size_t len)
{
    if (e->code <= PS_OK || e->code > PS_EUSAGE)
        fuzz_fail("error code out of range", e);
    if (!e->msg[0])
        fuzz_fail("empty error message", e);
    if (strchr(e->msg, '\n'))
        fuzz_fail("error message spans lines", e);
    if (e->offset < -1 || (e->offset >= 0 && (unsigned long long)e->offset > len))
        fuzz_fail("error offset outside the input", e);
}

static inline FILE *fuzz_devnull(void)
{
    static FILE *fp;
    if (!fp)
        fp = fopen("/dev/null", "w");
    if (!fp)
        abort();
    return fp;
}

/* Load a dump as the programs do (gzip detected by its magic bytes), from
 * memory.  Returns the stats or NULL; a failure's error is checked. */
static inline ps_stats *fuzz_load(const uint8_t *data, size_t size)
{
    ps_error e;
    ps_error_clear(&e);
    unsigned char *raw = NULL;
    size_t rawlen = 0;
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        if (ps_marshal_gunzip(data, size, &raw, &rawlen, FUZZ_GUNZIP_LIMIT, &e) < 0) {
            fuzz_check_error(&e, size);
            return NULL;
        }
        data = raw;
        size = rawlen;
    }
    ps_stats *s = ps_stats_new();
    if (!s)
        abort();
    if (ps_stats_load_buffer(s, data, size, "fuzz.prof", &e) < 0) {
        fuzz_check_error(&e, size);
        ps_stats_free(s);
        s = NULL;
    }
    free(raw);
    return s;
}

static inline int fuzz_small(const ps_stats *s)
{
    return (&fuzz_replay && fuzz_replay) || s->nentries <= FUZZ_MAX_ENTRIES;
}

static inline void fuzz_folded_options(folded_options *o)
{
    ps_folded_options_init(o);
    if (&fuzz_replay && fuzz_replay)
        return;
    o->max_depth = FUZZ_STACKS_DEPTH;
    o->min_fraction = FUZZ_STACKS_FRACTION;
}

#endif
