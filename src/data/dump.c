/* dump.c - the marshal bytes of a stats database, written as a dump CPython's
 * pstats reads back (profmerge, the browser's `dump`). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "pstats/export.h"
#include "base/index.h"

/* From version 3, what a dump repeats is written once, flagged, and then
 * referred to, as CPython's marshal writes the objects a dump shares: each
 * function's key tuple (an entry's key, then a caller key again and again)
 * and each string (a file's name in every key of its functions).  A merge is
 * then no bigger than CPython's dump_stats of the same statistics.  Strings
 * are the pool's (equal text, same pointer): a table keyed by pointer. */
typedef struct dump_refs {
    uint32_t *key;           /* per function id: its key's reference + 1, 0 until written */
    ps_index strings;        /* a string's hash -> its place in strs */
    const ps_str **strs;     /* the strings written, and their references */
    uint32_t *str_ref;
    size_t nstrs;
} dump_refs;

static int refs_init(dump_refs *r, const ps_stats *s)
{
    memset(r, 0, sizeof *r);
    size_t most = (size_t)s->nfuncs * 2 + 1;   /* at most two new strings a function */
    r->key = calloc(s->nfuncs ? s->nfuncs : 1, sizeof *r->key);
    r->strs = malloc(most * sizeof *r->strs);
    r->str_ref = malloc(most * sizeof *r->str_ref);
    int ok = ps_index_init(&r->strings, most) == 0;
    return ok && r->key && r->strs && r->str_ref ? 0 : -1;
}

static void refs_free(dump_refs *r)
{
    free(r->key);
    ps_index_free(&r->strings);
    free(r->strs);
    free(r->str_ref);
}

static void write_string(marshal_writer *w, dump_refs *r, const ps_str *str)
{
    if (r) {
        ps_index_probe p;
        uint32_t at = ps_index_find(&r->strings, str->hash, &p);
        while (at != PS_INDEX_NONE && r->strs[at] != str)
            at = ps_index_next(&r->strings, &p);
        if (at != PS_INDEX_NONE) {
            ps_marshal_write_ref(w, r->str_ref[at]);
            return;
        }
        at = (uint32_t)r->nstrs++;
        r->strs[at] = str;
        r->str_ref[at] = ps_marshal_write_flag_next(w);
        ps_index_add(&r->strings, &p, at);   /* cannot fail: reserved for them all */
    }
    ps_marshal_write_str(w, str->s, str->len);
}

static void write_key(marshal_writer *w, dump_refs *r, const ps_stats *s, uint32_t func)
{
    const ps_func *f = &s->funcs[func];
    if (r && r->key[func]) {
        ps_marshal_write_ref(w, r->key[func] - 1);
        return;
    }
    if (r)
        r->key[func] = ps_marshal_write_flag_next(w) + 1;
    ps_marshal_write_tuple_begin(w, 3);
    write_string(w, r, f->file);
    ps_marshal_write_int(w, f->line);
    /* A code object name is written as its text: no single code-object layout
     * loads in every CPython, and the reports print the same. */
    write_string(w, r, f->name);
}

int ps_export_marshal(const ps_stats *s, int version, marshal_writer *w, ps_error *e)
{
    ps_marshal_writer_init(w, version);
    dump_refs refs, *r = NULL;
    if (version >= 3) {
        if (refs_init(&refs, s) < 0) {
            refs_free(&refs);
            return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        }
        r = &refs;
    }
    ps_marshal_write_dict_begin(w);
    for (uint32_t i = 0; i < s->nentries; i++) {
        const ps_entry *en = &s->entries[i];
        write_key(w, r, s, en->func);
        ps_marshal_write_tuple_begin(w, 5);
        ps_marshal_write_int(w, en->cc);
        ps_marshal_write_int(w, en->nc);
        ps_marshal_write_float(w, en->tt);
        ps_marshal_write_float(w, en->ct);
        ps_marshal_write_dict_begin(w);
        for (uint32_t j = 0; j < en->ncallers; j++) {
            const ps_edge *ed = &en->callers[j];
            write_key(w, r, s, ed->caller);
            if (ed->shape == PS_EDGE_INT) {
                ps_marshal_write_int(w, ed->nc);
                continue;
            }
            ps_marshal_write_tuple_begin(w, 4);
            ps_marshal_write_int(w, ed->nc);
            ps_marshal_write_int(w, ed->cc);
            ps_marshal_write_float(w, ed->tt);
            ps_marshal_write_float(w, ed->ct);
        }
        ps_marshal_write_dict_end(w);
    }
    ps_marshal_write_dict_end(w);
    if (r)
        refs_free(r);
    if (w->failed) {
        ps_marshal_writer_free(w);
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

int ps_export_write_marshal(FILE *fp, const marshal_writer *w, int gzip, ps_error *e)
{
    if (gzip)
        return write_gzip(fp, w->buf, w->len, e);
    if (fwrite(w->buf, 1, w->len, fp) != w->len) {
        e->sys_errno = errno;
        return ps_error_set(e, PS_EIO, -1, "write failed: %s", strerror(errno));
    }
    return 0;
}

int ps_export_dump(const ps_stats *s, const char *path, int version, int gzip, ps_error *e)
{
    marshal_writer w;
    if (ps_export_marshal(s, version, &w, e) < 0)
        return -1;
    export_file f;
    if (ps_export_file_open(&f, path, e) < 0) {
        ps_marshal_writer_free(&w);
        return -1;
    }
    int rc = ps_export_write_marshal(f.fp, &w, gzip, e);
    ps_marshal_writer_free(&w);
    if (rc < 0) {
        ps_export_file_abort(&f);
        return -1;
    }
    return ps_export_file_commit(&f, e);
}
