/* export.h - writing the current stats in another format, shared by the
 * programs and the browser's `dump` and `export` commands. */
#ifndef PSTATS_EXPORT_H
#define PSTATS_EXPORT_H

#include <stdio.h>
#include "marshal.h"
#include "stats.h"

/* An output file written atomically: everything goes to a temporary file in
 * the target's directory, which commit renames into place; abort (or a
 * failure) removes it and leaves any previous file untouched.  path "-" is
 * standard output (written directly). */
typedef struct export_file {
    FILE *fp;
    char *path;
    char *tmp;            /* the temporary's name, for a signal handler to unlink */
    int is_stdout;
} export_file;

int ps_export_file_open(export_file *f, const char *path, ps_error *err);
int ps_export_file_commit(export_file *f, ps_error *err);
void ps_export_file_abort(export_file *f);

/* Removing the temporary when the program is interrupted.  Every writer
 * (ps_export_dump, ps_callgrind_export, ps_folded_export, ps_dot_run, ...) goes through
 * ps_export_file_open, which calls export_tmp_created(tmp) right after creating
 * a temporary, and commit/abort call export_tmp_gone(tmp) once it is renamed
 * into place or removed.  The library only declares them (weak references,
 * no state): a program that wants the cleanup defines both, as
 * src/cli/cleanup.h does with a SIGINT/SIGTERM/SIGHUP handler. */
void export_tmp_created(const char *tmp);
void export_tmp_gone(const char *tmp);

/* The marshal bytes of a dump of s (for profmerge and `dump`). */
int ps_export_marshal(const ps_stats *s, int marshal_version, marshal_writer *w, ps_error *err);

/* Write the bytes of w to fp, gzip-compressed or as they are. */
int ps_export_write_marshal(FILE *fp, const marshal_writer *w, int gzip, ps_error *e);

/* Write a dump CPython's pstats reads back (marshal version 4, or 2 for
 * Python 2.7 too), optionally gzip-compressed; atomically: a temporary file
 * in the target directory renamed into place. path "-" is standard output. */
int ps_export_dump(const ps_stats *s, const char *path, int marshal_version, int gzip,
                ps_error *err);

/* `export FORMAT FILE [options]` from the browser: argv[0] is the format
 * (dot, callgrind, folded), argv[1] the output file, the rest are the
 * options of the matching program (prof2dot, prof2callgrind, prof2folded). */
int ps_export_run(ps_stats *s, int argc, char **argv, ps_error *err);

#endif
