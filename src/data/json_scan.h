/* json_scan.h - the sample arrays of a speedscope file, found and read in
 * its text (json_scan.c) rather than as jansson values.
 *
 * A speedscope file is mostly its profiles' "samples" (arrays of frame
 * indices) and "weights" (numbers); as a jansson tree each of those numbers
 * is an allocated json_t of some fifty bytes, ten times its text.  One pass
 * over the text finds, for each element of the root's "profiles", the two
 * arrays when they are plain (samples: arrays of integers >= 0; weights:
 * numbers) and checks their syntax; jansson then reads the document with
 * them left out (as []) and the importer reads them from the text, one
 * sample at a time.  Whatever else the text holds (another shape, a syntax
 * error, a key written twice, an escaped key) leaves the whole document to
 * jansson as before. */
#ifndef PSTATS_JSON_SCAN_H
#define PSTATS_JSON_SCAN_H

#include <stddef.h>
#include <stdint.h>

/* An array's text: buf[at .. end), from its '[' to just after its ']'. */
typedef struct ss_span {
    size_t at, end;
    size_t count;         /* elements */
} ss_span;

typedef struct ss_raw {
    ss_span samples, weights;   /* both found, or the profile is jansson's */
    int found;
} ss_raw;

typedef struct ss_scan {
    ss_raw *prof;         /* by index in "profiles" */
    size_t nprof;
    ss_span *skip;        /* the found profiles' arrays, in the order of the text */
    size_t nskip;
} ss_scan;

/* Scan buf.  Returns 0 (sc->prof may then be NULL: nothing to take out), or
 * -1 when out of memory.  Free with ps_ss_scan_free. */
int ps_ss_scan_text(const unsigned char *buf, size_t len, ss_scan *sc);
void ps_ss_scan_free(ss_scan *sc);

/* buf as jansson is to read it: the found arrays as []. */
typedef struct ss_feed {
    const unsigned char *buf;
    size_t len, at;       /* the next byte of buf to give */
    const ss_scan *sc;
    size_t next;          /* the next span of sc->skip */
} ss_feed;
void ps_ss_feed_init(ss_feed *f, const unsigned char *buf, size_t len, const ss_scan *sc);
/* jansson's json_load_callback_t */
size_t ps_ss_feed_read(void *out, size_t size, void *feed);

/* Reading a scanned array: *pos starts at the span's '['.  The next
 * element: a sample's frame indices (ps_ss_next_sample: 1 at '[' of a sample,
 * then ps_ss_next_index gives its indices, 1 each, 0 at its end), a weight
 * (ps_ss_next_weight, as jansson would give the number, 1; 0 at the end). */
int ps_ss_next_sample(const unsigned char *buf, size_t *pos);
int ps_ss_next_index(const unsigned char *buf, size_t *pos, uint64_t *v);
int ps_ss_next_weight(const unsigned char *buf, size_t *pos, double *v);

#endif
