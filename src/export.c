/* export.c - atomic output files, dumps CPython reads back, and the
 * browser's `export` dispatch. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "pstats/callgrind.h"
#include "pstats/dot.h"
#include "pstats/export.h"
#include "pstats/folded.h"
#include "pstats/html.h"

/* Defined by the programs that remove temporaries on a signal (export.h). */
#pragma weak export_tmp_created
#pragma weak export_tmp_gone

static void tmp_created(const char *tmp)
{
    if (export_tmp_created)
        export_tmp_created(tmp);
}

static void tmp_gone(const char *tmp)
{
    if (export_tmp_gone)
        export_tmp_gone(tmp);
}

static int io_error(ps_error *e, const char *what, const char *path)
{
    int err = errno;
    e->sys_errno = err;
    return ps_error_set(e, PS_EIO, -1, "cannot %s %s: %s", what, path, strerror(err));
}

int export_file_open(export_file *f, const char *path, ps_error *e)
{
    memset(f, 0, sizeof *f);
    if (strcmp(path, "-") == 0) {
        f->fp = stdout;
        f->is_stdout = 1;
        return 0;
    }
    /* A device, FIFO or socket (-o /dev/null, /dev/stdout, a named pipe) is
     * written in place: renaming a temporary over it would replace the
     * device node itself with a regular file. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            errno = EISDIR;
            return io_error(e, "write", path);
        }
        f->path = strdup(path);
        if (!f->path)
            return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        f->fp = fopen(path, "wb");
        if (!f->fp) {
            io_error(e, "open", path);
            free(f->path);
            f->path = NULL;
            return -1;
        }
        return 0;
    }
    /* Through a symbolic link to a file, the file is replaced, not the link. */
    char *real = NULL;
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && (real = realpath(path, NULL)))
        path = real;
    f->path = strdup(path);
    free(real);
    path = f->path;
    if (!path)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    /* The temporary sits beside the target so rename() is atomic. */
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    f->tmp = malloc(strlen(path) + 32);
    if (!f->tmp) {
        free(f->path);
        f->path = NULL;
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    sprintf(f->tmp, "%.*s.%s.tmpXXXXXX", (int)dirlen, path, path + dirlen);
    /* No interrupting signal between creating the temporary and handing its
     * name to the program: its handler would not know to remove it. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int fd = mkstemp(f->tmp);
    int mkstemp_errno = errno;
    if (fd >= 0)
        tmp_created(f->tmp);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        errno = mkstemp_errno;
        io_error(e, "create a temporary file for", path);
        free(f->path);
        free(f->tmp);
        f->path = f->tmp = NULL;
        return -1;
    }
    /* Keep the permissions a plain create would have given. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    f->fp = fdopen(fd, "wb");
    if (!f->fp) {
        io_error(e, "open", f->tmp);
        close(fd);
        unlink(f->tmp);
        tmp_gone(f->tmp);
        free(f->path);
        free(f->tmp);
        f->path = f->tmp = NULL;
        return -1;
    }
    return 0;
}

int export_file_commit(export_file *f, ps_error *e)
{
    if (f->is_stdout) {
        if (fflush(stdout) != 0)
            return io_error(e, "write", "standard output");
        return 0;
    }
    int rc = 0;
    if (!f->tmp) {   /* a device or FIFO, written in place */
        if (fflush(f->fp) != 0 || ferror(f->fp))
            rc = io_error(e, "write", f->path);
        if (fclose(f->fp) != 0 && rc == 0)
            rc = io_error(e, "write", f->path);
        free(f->path);
        memset(f, 0, sizeof *f);
        return rc;
    }
    if (fflush(f->fp) != 0 || ferror(f->fp) || fsync(fileno(f->fp)) != 0)
        rc = io_error(e, "write", f->path);
    if (fclose(f->fp) != 0 && rc == 0)
        rc = io_error(e, "write", f->path);
    f->fp = NULL;
    if (rc == 0 && rename(f->tmp, f->path) != 0)
        rc = io_error(e, "rename the temporary file to", f->path);
    if (rc != 0)
        unlink(f->tmp);
    tmp_gone(f->tmp);
    free(f->tmp);
    free(f->path);
    f->tmp = f->path = NULL;
    return rc;
}

void export_file_abort(export_file *f)
{
    if (f->is_stdout) {
        fflush(stdout);
        return;
    }
    if (f->fp)
        fclose(f->fp);
    if (f->tmp) {
        unlink(f->tmp);
        tmp_gone(f->tmp);
    }
    free(f->tmp);
    free(f->path);
    memset(f, 0, sizeof *f);
}

/* ---- dumps -------------------------------------------------------------------- */

static void write_key(marshal_writer *w, const ps_stats *s, uint32_t func)
{
    const ps_func *f = &s->funcs[func];
    marshal_write_tuple_begin(w, 3);
    marshal_write_str(w, f->file->s, f->file->len);
    marshal_write_int(w, f->line);
    /* A code object name is written as its text: no single code-object layout
     * loads in every CPython, and the reports print the same. */
    marshal_write_str(w, f->name->s, f->name->len);
}

int export_marshal(const ps_stats *s, int version, marshal_writer *w, ps_error *e)
{
    marshal_writer_init(w, version);
    marshal_write_dict_begin(w);
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        write_key(w, s, en->func);
        marshal_write_tuple_begin(w, 5);
        marshal_write_int(w, en->cc);
        marshal_write_int(w, en->nc);
        marshal_write_float(w, en->tt);
        marshal_write_float(w, en->ct);
        marshal_write_dict_begin(w);
        for (uint32_t j = 0; j < en->ncallers; j++) {
            const ps_edge *ed = &en->callers[j];
            write_key(w, s, ed->caller);
            if (ed->shape == PS_EDGE_INT) {
                marshal_write_int(w, ed->nc);
                continue;
            }
            marshal_write_tuple_begin(w, 4);
            marshal_write_int(w, ed->nc);
            marshal_write_int(w, ed->cc);
            marshal_write_float(w, ed->tt);
            marshal_write_float(w, ed->ct);
        }
        marshal_write_dict_end(w);
    }
    marshal_write_dict_end(w);
    if (w->failed) {
        marshal_writer_free(w);
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    return 0;
}

static int write_gzip(FILE *fp, const unsigned char *data, size_t len, ps_error *e)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return ps_error_set(e, PS_ENOMEM, -1, "cannot start zlib");
    unsigned char out[1 << 16];
    size_t done = 0;
    int rc;
    do {
        size_t chunk = len - done > (1u << 30) ? (1u << 30) : len - done;
        z.next_in = (unsigned char *)data + done;
        z.avail_in = (uInt)chunk;
        int flush = done + chunk == len ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = out;
            z.avail_out = sizeof out;
            rc = deflate(&z, flush);
            size_t have = sizeof out - z.avail_out;
            if (have && fwrite(out, 1, have, fp) != have) {
                deflateEnd(&z);
                e->sys_errno = errno;
                return ps_error_set(e, PS_EIO, -1, "write failed: %s", strerror(errno));
            }
        } while (z.avail_out == 0);
        done += chunk;
    } while (rc != Z_STREAM_END && done < len);
    while (rc != Z_STREAM_END) {
        z.next_out = out;
        z.avail_out = sizeof out;
        rc = deflate(&z, Z_FINISH);
        size_t have = sizeof out - z.avail_out;
        if (have && fwrite(out, 1, have, fp) != have)
            break;
    }
    deflateEnd(&z);
    return 0;
}

int export_write_marshal(FILE *fp, const marshal_writer *w, int gzip, ps_error *e)
{
    if (gzip)
        return write_gzip(fp, w->buf, w->len, e);
    if (fwrite(w->buf, 1, w->len, fp) != w->len) {
        e->sys_errno = errno;
        return ps_error_set(e, PS_EIO, -1, "write failed: %s", strerror(errno));
    }
    return 0;
}

int export_dump(const ps_stats *s, const char *path, int version, int gzip, ps_error *e)
{
    marshal_writer w;
    if (export_marshal(s, version, &w, e) < 0)
        return -1;
    export_file f;
    if (export_file_open(&f, path, e) < 0) {
        marshal_writer_free(&w);
        return -1;
    }
    int rc = export_write_marshal(f.fp, &w, gzip, e);
    marshal_writer_free(&w);
    if (rc < 0) {
        export_file_abort(&f);
        return -1;
    }
    return export_file_commit(&f, e);
}

/* ---- the browser's `export FORMAT FILE [options]` ---------------------------- */

/* export callgrind FILE [--recursion=keep|drop] */
static int export_callgrind(ps_stats *s, int argc, char **argv, ps_error *e)
{
    callgrind_options o;
    callgrind_options_init(&o);
    for (int i = 2; i < argc; i++) {
        int r = callgrind_parse_option(&o, argc, argv, &i, e);
        if (r < 0)
            return -1;
        if (r == 0)
            return ps_error_set(e, PS_EUSAGE, -1,
                                "export callgrind: unknown option '%s' (--recursion=keep|drop)",
                                argv[i]);
    }
    return callgrind_export(s, argv[1], &o, e);
}

/* export folded FILE [prof2folded's options] */
static int export_folded(ps_stats *s, int argc, char **argv, ps_error *e)
{
    folded_options o;
    folded_options_init(&o);
    for (int i = 2; i < argc; i++) {
        int r = folded_parse_option(&o, argc, argv, &i, e);
        if (r < 0)
            return -1;
        if (r == 0)
            return ps_error_set(e, PS_EUSAGE, -1,
                                "export folded: unknown option '%s' (--unit, --min-fraction, "
                                "--inverted, --svg, --max-depth, --max-repeat, --width, --title)",
                                argv[i]);
    }
    return folded_export(s, argv[1], &o, e);
}

/* export dot FILE [prof2dot's options]; with --list-functions the list goes
 * to FILE instead of a graph. */
static int export_dot(ps_stats *s, int argc, char **argv, ps_error *e)
{
    pg_options o;
    pg_options_init(&o);
    int rc = pg_options_parse(&o, argc - 2, argv + 2, e);
    if (rc < 0) {
        char msg[sizeof e->msg];
        snprintf(msg, sizeof msg, "%s", e->msg);
        ps_error_set(e, PS_EUSAGE, -1, "export dot: %s", msg);
    } else if (o.ninputs) {
        rc = ps_error_set(e, PS_EUSAGE, -1, "export dot: unexpected argument '%s' (the graph is of the "
                          "current statistics)", o.inputs[0]);
    } else if (o.output || o.help || o.version) {
        rc = ps_error_set(e, PS_EUSAGE, -1, "export dot: %s is not an option here (usage: export dot "
                          "FILE [prof2dot options])", o.output ? "-o" : o.help ? "--help" : "--version");
    } else {
        char *listing = NULL;
        o.output = argv[1];
        rc = dot_run(s, &o, &listing, e);
        if (rc == 0 && listing) {
            export_file f;
            rc = export_file_open(&f, argv[1], e);
            if (rc == 0 && fputs(listing, f.fp) < 0) {
                rc = io_error(e, "write", argv[1]);
                export_file_abort(&f);
            } else if (rc == 0) {
                rc = export_file_commit(&f, e);
            }
        }
        free(listing);
    }
    pg_options_free(&o);
    return rc;
}

/* export html FILE [--title TEXT]: prof2html's page of the current stats */
static int export_html(ps_stats *s, int argc, char **argv, ps_error *e)
{
    ps_html_options o;
    ps_html_options_init(&o);
    o.title = argv[1];
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--title") && i + 1 < argc)
            o.title = argv[++i];
        else if (!strncmp(argv[i], "--title=", 8))
            o.title = argv[i] + 8;
        else
            return ps_error_set(e, PS_EUSAGE, -1, "export html: unknown option '%s' (--title TEXT)",
                                argv[i]);
    }
    return ps_html_write(s, argv[1], &o, e);
}

int export_run(ps_stats *s, int argc, char **argv, ps_error *e)
{
    if (argc >= 2 && strcmp(argv[0], "dot") == 0)
        return export_dot(s, argc, argv, e);
    if (argc >= 2 && strcmp(argv[0], "callgrind") == 0)
        return export_callgrind(s, argc, argv, e);
    if (argc >= 2 && strcmp(argv[0], "folded") == 0)
        return export_folded(s, argc, argv, e);
    if (argc >= 2 && strcmp(argv[0], "html") == 0)
        return export_html(s, argc, argv, e);
    (void)s;
    (void)argc;
    return ps_error_set(e, PS_EUSAGE, -1, "export: unknown format '%s' (use dot, callgrind, folded or html)",
                        argv[0]);
}
