/* sampled.h - sampled profiles: a builder that turns samplers' call stacks
 * into the stats database (the pstats view plus the exact stacks), and the
 * text importers (folded stacks, Austin, plop) found by content.
 *
 * Semantics (those of CPython 3.15's pstats collector and speedscope):
 *   - a function is (file, name); where a sampler gives the line being
 *     executed, its row is keyed by the smallest line seen for it (or the
 *     function's first line where the format gives that); `lines` keeps one
 *     row per (file, line, name) instead;
 *   - tottime(f) = weight of the samples whose leaf is f; cumtime(f) = weight
 *     of the samples holding f anywhere, once per sample under recursion;
 *   - caller edge g -> f: cumtime = weight of the samples where g calls f
 *     directly (once per sample), tottime = the part where f is the leaf;
 *   - ncalls = primitive calls = the number of samples holding f (edges: of
 *     samples holding g -> f); counts saturate at 2**63 - 1;
 *   - samples without frames are idle: dropped and counted apart.
 * The unique stacks are kept in ps_stats.stacks (function ids, root first). */
#ifndef PSTATS_SAMPLED_H
#define PSTATS_SAMPLED_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "folded.h"
#include "stats.h"

typedef struct ps_frame {        /* one frame as a sampler names it */
    const char *file; size_t flen;
    const char *name; size_t nlen;
    int64_t line;                /* line being executed, or the function's first line; 0: unknown */
    int line_is_first;           /* 1: `line` is the function's first line (pyinstrument, py-spy --function) */
} ps_frame;

typedef struct ps_sample_options {
    double interval;             /* seconds per sample where the format has no time (default 0.01) */
    int lines;                   /* 1: one row per (file, line, name) instead of per (file, name) */
    int threads;                 /* 1: keep a root frame per thread (the parser adds it) */
} ps_sample_options;
void ps_sample_options_init(ps_sample_options *o);

/* ps_stats.sampled: a 3.15 ('__sampled__',) dump (no stacks), or built here
 * from stacks, per function or per line (--lines). */
enum { PS_SAMPLED_DUMP = 1, PS_SAMPLED_STACKS = 2, PS_SAMPLED_LINES = 3 };

typedef struct ps_sample_builder ps_sample_builder;
/* Start building a sampled profile into the empty stats s (fresh from
 * ps_stats_new).  The options are copied. */
ps_sample_builder *ps_sample_builder_new(ps_stats *s, const ps_sample_options *o, ps_error *err);
/* One sample (or `count` identical ones): frames root first; n == 0 is an
 * idle sample.  weight is the seconds of all `count` samples together
 * (negative or NaN weights, negative counts are refused: PS_EDATA, offset -1:
 * the importer says where).  Names and files that are not valid UTF-8 are
 * kept with the bad bytes escaped as \xNN. */
int ps_sample_add(ps_sample_builder *b, const ps_frame *frames, size_t n, double weight,
                  int64_t count, ps_error *err);
/* Compute tottime/cumtime/ncalls/callers from the stacks, keep the stacks in
 * s->stacks, set s->sampled, free the builder (also on error).  label is the
 * input's name for the report's files line (NULL: none). */
int ps_sample_finish(ps_sample_builder *b, ps_error *err);
void ps_sample_builder_free(ps_sample_builder *b);
/* The files line ("ctime    path", as for dumps) to give the stats; call
 * before ps_sample_finish.  Optional. */
int ps_sample_set_label(ps_sample_builder *b, const char *line, ps_error *err);

/* s.add(o) for two profiles built from stacks: the stacks of both rebuilt
 * into one profile, so that a function whose rows had different key lines
 * (the smallest line each input saw) is one function again.  On error s is
 * unchanged.  ps_stats_add calls it. */
int ps_sampled_add(ps_stats *s, const ps_stats *o, ps_error *err);

/* The pthread-style pseudo frame a parser puts at the root of a thread's
 * samples with options.threads: name "<thread ID>", file "~", line 0. */
ps_frame ps_thread_frame(char *buf, size_t size, const char *id, size_t idlen);

/* The exact stacks st of s (s->stacks, or a merge of them) as folded lines
 * and a tree for the folded writers (ps_folded_write_text, ps_folded_write_svg):
 * one line per stack, its count the weight in o's unit; o->inverted puts the
 * leaf first.  Free with ps_folded_free. */
int ps_folded_from_stacks(const ps_stats *s, const ps_stacks *st, const folded_options *o,
                          folded_stacks *fs, ps_error *err);

/* The exact stacks of s as folded lines (microseconds), written atomically
 * to path ("-": standard output).  PS_EUSAGE when s has no exact stacks. */
int ps_sampled_export_folded(const ps_stats *s, const char *path, ps_error *err);

/* Add CPython 3.15's ('__sampled__',): True key to a dump written by
 * ps_export_marshal (before the dict's end).  0 or -1 (out of memory). */
int ps_marshal_sampled_marker(marshal_writer *w, ps_error *err);

/* ---- the text importers -------------------------------------------------------------- */

typedef enum ps_format {
    PS_FMT_AUTO = 0,     /* by content */
    PS_FMT_PSTATS,       /* a marshal dump (the existing loader) */
    PS_FMT_FOLDED,       /* folded stacks: flamegraph.pl, py-spy raw, CPython 3.15 --collapsed, plop -f flamegraph */
    PS_FMT_AUSTIN,       /* Austin 1.x and 3.x text */
    PS_FMT_PLOP,         /* plop's repr() of {stack: count} */
    PS_FMT_SPEEDSCOPE,   /* JSON: read by the export helper's importer */
    PS_FMT_PYINSTRUMENT, /* JSON .pyisession: likewise */
    PS_FMT_COUNT
} ps_format;

/* "folded", "austin", ... ; PS_FMT_AUTO for "auto"; -1 for an unknown name. */
int ps_format_from_name(const char *name);
const char *ps_format_name(int fmt);

/* How every program loads its inputs: the format (forced or found by
 * content) and the sample options.  ps_stats_load_file follows the process's
 * defaults (ps_load_options_set_default: a program sets its options once and
 * every load, pstatsh's `add` included, follows them); ps_stats_load_file_with
 * takes them explicitly. */
typedef struct ps_load_options {
    int format;                  /* ps_format */
    ps_sample_options sample;
} ps_load_options;
void ps_load_options_init(ps_load_options *o);
void ps_load_options_set_default(const ps_load_options *o);
const ps_load_options *ps_load_options_default(void);
int ps_stats_load_file_with(ps_stats *s, const char *path, const ps_load_options *o, ps_error *err);

/* The format a buffer's first bytes (up to 64 KB) look like: PS_FMT_FOLDED,
 * PS_FMT_AUSTIN, PS_FMT_PLOP, the JSON formats, or PS_FMT_PSTATS for
 * anything else (the marshal loader then decides). */
int ps_sniff_format(const unsigned char *buf, size_t len);

/* Import text of format fmt (FOLDED, AUSTIN or PLOP) into the empty stats s.
 * Errors: PS_EDATA with err->offset = -1 and the message "line N: ...". */
int ps_import_text(ps_stats *s, int fmt, const unsigned char *buf, size_t len,
                   const ps_sample_options *o, const char *files_line, ps_error *err);

#endif
