/* corrupt.c - systematic corruption of the real dumps, in process (make
 * check, via tests/robust/run.sh).
 *
 *   corrupt [--flips N] [--sample-offsets N] [--sampled]
 *                                                the sweep; ends "N passed, N failed"
 *                                                (--sampled: no dump is truncated at
 *                                                every offset, 4N offsets for those that
 *                                                are otherwise; the quick tier)
 *   corrupt --write DIR N                        N corrupted files for the program tests
 *   corrupt --list                               the dumps found and what is done to each
 *
 * The dumps are every file under tests/dumps/ and data/ (scripts and notes
 * left out).  A fixed set of them -- different writers and versions: cProfile
 * 2.7, profile.py 2.7 and 3.x (code objects of three layouts), yappi, marshal
 * versions 0 and 4, and the gzip-compressed one -- is truncated at every byte
 * offset; every other dump at 48 offsets spread over the file.  Then N random
 * corruptions (default 3000; 1-4 edits each: a flipped bit, a random byte, a
 * type code, or a 4-byte length/count set to a lying value) spread over all
 * the dumps.  Fixed seeds: every run does the same.
 *
 * Each corrupted input is loaded as the programs load a file (gzip detected
 * by its magic bytes and expanded first), from an exact-size copy so that the
 * sanitizers see any read past its end.  It passes when
 *   - the load fails with a well-formed error: a known code, one line of
 *     text, a byte offset inside the input or -1; or
 *   - it loads, and the reports (stats, callers, callees, restricted and
 *     sorted) and a dump of it (ps_export_marshal, read back) work;
 *   - and it took less than 2 seconds.
 * A crash or a sanitizer report ends the run: tests/robust/run.sh shows it.
 * CORRUPT_SAVE=DIR keeps every failing input in DIR. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "pstats/export.h"
#include "pstats/marshal.h"
#include "pstats/report.h"
#include "pstats/select.h"
#include "pstats/sort.h"
#include "pstats/stats.h"

#define MAX_SECONDS 2.0

/* Truncated at every offset. */
static const char *const FULL[] = {
    "data/recur-py27.prof",                        /* cProfile, CPython 2.7 */
    "data/restats",                                /* cProfile, 3.11 */
    "tests/dumps/recur-profile-2.7.prof",          /* profile.py 2.7: 2.7 code objects */
    "tests/dumps/multimod-profile-3.7.prof",       /* profile.py 3.7: 3.6-3.7 layout */
    "tests/dumps/multimod-profile-3.11.prof",      /* profile.py 3.11: 3.11+ layout */
    "tests/dumps/difflib-yappi-3.11.prof",         /* yappi */
    "tests/dumps/special/normal-v0.prof",          /* marshal version 0 */
    "tests/dumps/special/normal-py27-v2.prof",     /* Python 2 marshal version 2 */
    "tests/dumps/unittest-difflib-cprofile-3.11.prof.gz",   /* gzip */
};
#define NFULL (sizeof FULL / sizeof *FULL)

typedef struct dump {
    char *path;
    unsigned char *data;
    size_t len;
    int full;
} dump;

static dump *dumps;
static size_t ndumps, capdumps;
static long passed, failed, runs, loaded;
static double slowest;
static char slowest_what[512];
static const char *save_dir;
static FILE *devnull;

/* ---- random numbers: xorshift64*, fixed seed ---------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}
static size_t rnd_below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

/* ---- the dumps ---------------------------------------------------------------- */

static int skip_name(const char *name)
{
    static const char *const ext[] = {".py", ".sh", ".md", ".txt", ".c", ".h"};
    if (name[0] == '.')
        return 1;
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        size_t k = strlen(ext[i]);
        if (n > k && strcmp(name + n - k, ext[i]) == 0)
            return 1;
    }
    return 0;
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    for (size_t k; buf && (k = fread(buf + n, 1, cap - n, fp)) > 0;) {
        n += k;
        if (n == cap) {
            unsigned char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(fp);
    *len = n;
    return buf;
}

static void add_dump(const char *path)
{
    size_t len;
    unsigned char *data = read_file(path, &len);
    if (!data) {
        fprintf(stderr, "corrupt: cannot read %s: %s\n", path, strerror(errno));
        exit(2);
    }
    if (ndumps == capdumps) {
        capdumps = capdumps ? capdumps * 2 : 64;
        dumps = realloc(dumps, capdumps * sizeof *dumps);
        if (!dumps)
            exit(2);
    }
    dump *d = &dumps[ndumps++];
    d->path = strdup(path);
    d->data = data;
    d->len = len;
    d->full = 0;
    for (size_t i = 0; i < NFULL; i++)
        d->full |= strcmp(path, FULL[i]) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void scan(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *de; (de = readdir(d));) {
        if (skip_name(de->d_name))
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2);
        sprintf(names[n++], "%s/%s", dir, de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (stat(names[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            scan(names[i]);
        else if (S_ISREG(sb.st_mode))
            add_dump(names[i]);
        free(names[i]);
    }
    free(names);
}

/* ---- one corrupted input ------------------------------------------------------ */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *check_error(const ps_error *e, size_t len)
{
    if (e->code <= PS_OK || e->code > PS_EUSAGE)
        return "error code out of range";
    if (!e->msg[0])
        return "empty error message";
    if (strchr(e->msg, '\n'))
        return "error message spans lines";
    if (e->offset < -1 || (e->offset >= 0 && (unsigned long long)e->offset > len))
        return "error offset outside the input";
    return NULL;
}

/* What the programs do with a loaded dump, to /dev/null. */
static const char *exercise(ps_stats *s)
{
    ps_error e;
    sel_restriction r[2];
    ps_sel_parse_term("0.5", &r[0]);
    ps_sel_parse_term("__init__|<listcomp>|:1\\(", &r[1]);
    if (ps_report_print_stats(s, devnull, NULL, 0, &e) < 0 && check_error(&e, SIZE_MAX))
        return "print_stats: bad error";
    const char *keys[] = {"cumulative"};
    if (ps_sort_stats(s, keys, 1, &e) < 0 && check_error(&e, SIZE_MAX))
        return "ps_sort_stats: bad error";
    if (ps_report_print_callers(s, devnull, r, 2, &e) < 0 && check_error(&e, SIZE_MAX))
        return "print_callers: bad error";
    if (ps_report_print_callees(s, devnull, r, 1, &e) < 0 && check_error(&e, SIZE_MAX))
        return "print_callees: bad error";
    marshal_writer w;
    if (ps_export_marshal(s, 4, &w, &e) < 0)
        return check_error(&e, SIZE_MAX) ? "ps_export_marshal: bad error" : NULL;
    ps_stats *t = ps_stats_new();
    int rc = ps_stats_load_buffer(t, w.buf, w.len, "again", &e);
    ps_marshal_writer_free(&w);
    ps_stats_free(t);
    return rc < 0 ? "a dump we wrote does not load again" : NULL;
}

static const char *probe(const unsigned char *data, size_t len)
{
    ps_error e;
    ps_error_clear(&e);
    unsigned char *raw = NULL;
    size_t rawlen = 0;
    const char *bad = NULL;
    if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        if (ps_marshal_gunzip(data, len, &raw, &rawlen, MARSHAL_GUNZIP_LIMIT, &e) < 0)
            return check_error(&e, len);
        data = raw;
        len = rawlen;
    }
    ps_stats *s = ps_stats_new();
    if (ps_stats_load_buffer(s, data, len, "corrupt.prof", &e) < 0) {
        bad = check_error(&e, len);
    } else {
        loaded++;
        bad = exercise(s);
    }
    ps_stats_free(s);
    free(raw);
    return bad;
}

static void save(const unsigned char *data, size_t len, const char *what)
{
    if (!save_dir)
        return;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", save_dir, what);
    for (char *p = path + strlen(save_dir) + 1; *p; p++)
        if (*p == '/' || *p == ' ')
            *p = '_';
    FILE *fp = fopen(path, "wb");
    if (fp) {
        fwrite(data, 1, len, fp);
        fclose(fp);
    }
}

/* Run one corrupted input: data is copied to an exact-size buffer. */
static void run(const unsigned char *data, size_t len, const char *what)
{
    unsigned char *copy = malloc(len ? len : 1);
    if (!copy)
        exit(2);
    memcpy(copy, data, len);
    double t0 = now();
    const char *bad = probe(copy, len);
    double dt = now() - t0;
    runs++;
    if (dt > slowest) {
        slowest = dt;
        snprintf(slowest_what, sizeof slowest_what, "%s", what);
    }
    if (!bad && dt > MAX_SECONDS)
        bad = "too slow";
    if (bad) {
        failed++;
        if (failed <= 50)
            fprintf(stderr, "FAIL %s: %s (%.2fs)\n", what, bad, dt);
        save(copy, len, what);
    } else {
        passed++;
    }
    free(copy);
}

/* ---- corruptions ---------------------------------------------------------------- */

static const char TYPE_CODES[] = "0NTFS.iIlfgxysRtuaAzZ()[<>{c:r";

static void mutate(unsigned char *buf, size_t len, char *what, size_t whatsize)
{
    int edits = 1 + (int)rnd_below(4);
    size_t n = strlen(what);
    for (int k = 0; k < edits && len; k++) {
        size_t at = rnd_below(len);
        int kind = (int)rnd_below(5);
        switch (kind) {
        case 0: buf[at] ^= (unsigned char)(1u << rnd_below(8)); break;
        case 1: buf[at] = (unsigned char)rnd(); break;
        case 2:
            buf[at] = (unsigned char)TYPE_CODES[rnd_below(sizeof TYPE_CODES - 1)] |
                      (rnd_below(2) ? 0x80 : 0);
            break;
        default: {   /* a lying 4-byte length or count */
            static const uint32_t lies[] = {0xffffffffu, 0x7fffffffu, 0x80000000u, 0x00ffffffu,
                                            0x00010000u, 0x000000ffu, 0};
            uint32_t v = lies[rnd_below(sizeof lies / sizeof *lies)];
            for (int b = 0; b < 4 && at + (size_t)b < len; b++)
                buf[at + (size_t)b] = (unsigned char)(v >> (8 * b));
            break;
        }
        }
        n += (size_t)snprintf(what + n, whatsize - n, "%s%c@%zu", k ? "," : "", "bvtll"[kind], at);
        if (n >= whatsize)
            break;
    }
}

static void sweep(long flips, size_t sample_offsets, int sampled)
{
    char what[512];
    for (size_t i = 0; i < ndumps; i++) {
        const dump *d = &dumps[i];
        size_t noffsets = sampled && d->full ? 4 * sample_offsets : sample_offsets;
        if (d->full && !sampled) {
            for (size_t cut = 0; cut < d->len; cut++) {
                snprintf(what, sizeof what, "%s truncated at %zu", d->path, cut);
                run(d->data, cut, what);
            }
        } else {
            for (size_t k = 0; k < noffsets && d->len; k++) {
                size_t cut = k == 0 ? 0 : k == 1 ? d->len - 1
                           : (size_t)((double)d->len * (double)k / (double)noffsets);
                cut += rnd_below(7);
                if (cut >= d->len)
                    cut = d->len - 1;
                snprintf(what, sizeof what, "%s truncated at %zu", d->path, cut);
                run(d->data, cut, what);
            }
        }
        snprintf(what, sizeof what, "%s as it is", d->path);
        run(d->data, d->len, what);
    }
    unsigned char *buf = NULL;
    for (long f = 0; f < flips; f++) {
        const dump *d = &dumps[rnd_below(ndumps)];
        buf = realloc(buf, d->len ? d->len : 1);
        memcpy(buf, d->data, d->len);
        snprintf(what, sizeof what, "%s flip #%ld ", d->path, f);
        mutate(buf, d->len, what, sizeof what);
        run(buf, d->len, what);
    }
    free(buf);
}

/* --write DIR N: the inputs the program tests use -- a mix of truncations and
 * corruptions of a dump of each kind (the FULL set and a few large ones). */
static int write_samples(const char *dir, long n)
{
    size_t *pick = malloc(ndumps * sizeof *pick), npick = 0;
    for (size_t i = 0; i < ndumps; i++)
        if (dumps[i].full || dumps[i].len > 50000)
            pick[npick++] = i;
    if (!npick)
        return 1;
    char path[1024], what[512];
    unsigned char *buf = NULL;
    for (long k = 0; k < n; k++) {
        const dump *d = &dumps[pick[(size_t)k % npick]];
        const char *base = strrchr(d->path, '/') ? strrchr(d->path, '/') + 1 : d->path;
        buf = realloc(buf, d->len ? d->len : 1);
        memcpy(buf, d->data, d->len);
        size_t len = d->len;
        if (k % 3 == 0) {
            len = rnd_below(d->len);
            snprintf(path, sizeof path, "%s/%03ld-%s.cut%zu", dir, k, base, len);
        } else {
            what[0] = '\0';
            mutate(buf, len, what, sizeof what);
            snprintf(path, sizeof path, "%s/%03ld-%s.flip", dir, k, base);
        }
        FILE *fp = fopen(path, "wb");
        if (!fp || fwrite(buf, 1, len, fp) != len || fclose(fp) != 0) {
            fprintf(stderr, "corrupt: cannot write %s\n", path);
            return 1;
        }
    }
    free(buf);
    free(pick);
    return 0;
}

int main(int argc, char **argv)
{
    long flips = 3000;
    size_t sample_offsets = 48;
    const char *write_dir = NULL;
    long write_n = 0;
    int list = 0, sampled = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--flips") && i + 1 < argc)
            flips = atol(argv[++i]);
        else if (!strcmp(argv[i], "--sample-offsets") && i + 1 < argc)
            sample_offsets = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "--write") && i + 2 < argc) {
            write_dir = argv[++i];
            write_n = atol(argv[++i]);
        } else if (!strcmp(argv[i], "--list"))
            list = 1;
        else if (!strcmp(argv[i], "--sampled"))
            sampled = 1;
        else {
            fprintf(stderr, "usage: corrupt [--flips N] [--sample-offsets N] [--sampled] | --write DIR N | --list\n");
            return 2;
        }
    }
    save_dir = getenv("CORRUPT_SAVE");
    devnull = fopen("/dev/null", "w");
    scan("tests/dumps");
    scan("data");
    if (!ndumps || !devnull) {
        fprintf(stderr, "corrupt: no dumps under tests/dumps/ or data/ (run from the repository root)\n");
        return 2;
    }
    size_t nfull = 0;
    for (size_t i = 0; i < ndumps; i++)
        nfull += dumps[i].full;
    if (nfull < NFULL)
        fprintf(stderr, "corrupt: note: only %zu of the %zu dumps truncated at every offset exist\n",
                nfull, NFULL);
    if (list) {
        for (size_t i = 0; i < ndumps; i++)
            printf("%-60s %8zu bytes  %s\n", dumps[i].path, dumps[i].len,
                   dumps[i].full ? "every offset" : "sampled offsets");
        return 0;
    }
    if (write_dir)
        return write_samples(write_dir, write_n);
    double t0 = now();
    sweep(flips, sample_offsets, sampled);
    if (sampled)
        nfull = 0;
    printf("corrupt: %zu dumps (%zu truncated at every offset), %ld inputs (%ld loaded), "
           "%ld random corruptions, %.1fs; slowest %.3fs (%s)\n",
           ndumps, nfull, runs, loaded, flips, now() - t0, slowest, slowest_what);
    for (size_t i = 0; i < ndumps; i++) {
        free(dumps[i].path);
        free(dumps[i].data);
    }
    free(dumps);
    fclose(devnull);
    printf("%ld passed, %ld failed\n", passed, failed);
    return failed != 0;
}
