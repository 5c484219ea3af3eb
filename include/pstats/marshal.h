/* marshal.h - CPython's marshal format, as far as profile dumps need it.
 *
 * The reader accepts every type code CPython 2.7-3.14 can put in a profile
 * dump (see pstats(5), section MARSHAL FORMAT), including FLAG_REF references,
 * Python 2 interned-string references and code objects of every layout.  It
 * materialises objects as compact `mobj` values in arenas; the top-level dict
 * of a dump is streamed item by item so a 50 MB dump never exists twice in
 * memory. */
#ifndef PSTATS_MARSHAL_H
#define PSTATS_MARSHAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "arena.h"
#include "error.h"

enum mobj_type {
    MO_NULL = 0,   /* marshal's '0' terminator; never a value */
    MO_NONE, MO_BOOL, MO_INT, MO_BIGINT, MO_FLOAT,
    MO_STR,        /* str (u t a A z Z), or Python 2 str (s t R): text in .u.s */
    MO_BYTES,      /* bytes ('s' outside Python 2 data): .u.s */
    MO_TUPLE, MO_LIST, MO_DICT,   /* .n items (dict: .n pairs, 2n mobjs) */
    MO_CODE,       /* code object: .u.code */
    MO_OTHER       /* sets, slices, complex, ...: loads, but is nothing pstats uses */
};

typedef struct mcode {
    const ps_str *name, *filename;
    int64_t firstlineno;
    const ps_str *repr;   /* "<code object NAME at 0x..., file "F", line N>" */
} mcode;

typedef union mobj_value {
    int64_t i;          /* MO_INT, MO_BOOL */
    double f;           /* MO_FLOAT; MO_BIGINT holds its approximate value */
    const ps_str *s;    /* MO_STR, MO_BYTES */
    struct mobj *items; /* MO_TUPLE, MO_LIST, MO_DICT */
    const mcode *code;  /* MO_CODE */
} mobj_value;

typedef struct mobj {
    uint8_t type;
    uint8_t unhashable;   /* MO_TUPLE: holds a list, dict or set somewhere */
    uint32_t n;
    mobj_value u;
} mobj;

/* Python's type name for messages ("int", "tuple", "code", ...). */
const char *ps_mobj_type_name(const mobj *o);
/* Python truthiness. */
int ps_mobj_truthy(const mobj *o);

typedef struct marshal_reader marshal_reader;

/* buf must stay valid while the reader lives.  Strings are not interned: each
 * one read is a copy of its own (ps_str_new: hash and cplen set, ready for
 * ps_strpool_intern_str), living as long as the object holding it; one read
 * again through a back-reference is the same copy. */
marshal_reader *ps_marshal_reader_new(const unsigned char *buf, size_t len);
void ps_marshal_reader_free(marshal_reader *r);
size_t ps_marshal_reader_offset(const marshal_reader *r);

/* Read one whole object (any type). Returns 0 or -1 with err set. */
int ps_marshal_read_object(marshal_reader *r, mobj *out, ps_error *err);

/* Streaming of the top-level object.  ps_marshal_peek_type() returns the type
 * code at the cursor (FLAG_REF stripped) or -1 at end of input.
 * ps_marshal_read_dict_begin() consumes a '{'; then ps_marshal_read_dict_next()
 * returns 1 with the next (key, value) pair, 0 at the end of the dict, -1 on
 * error.  The pair stays valid until the next call (flagged objects live as
 * long as the reader). */
int ps_marshal_peek_type(const marshal_reader *r);
int ps_marshal_read_dict_begin(marshal_reader *r, ps_error *err);
int ps_marshal_read_dict_next(marshal_reader *r, mobj *key, mobj *value, ps_error *err);
/* A whole input: a regular file is mapped, standard input ("-") and gzip
 * data (detected by its magic bytes) are read into memory. */
typedef struct marshal_input {
    unsigned char *data;
    size_t len;
    int mapped;
    long long mtime;      /* -1 when unknown (stdin) */
    int has_mtime;
    int fd;               /* while mapped (0 otherwise): the file, open, for a reader that
                           * would rather read it than touch the mapping (the importers,
                           * the dump loader) */
} marshal_input;

int ps_marshal_input_open(marshal_input *in, const char *path, ps_error *err);
/* Limit of the decompressed size of gzip input (default 4 GiB).  A file
 * opened by ps_marshal_input_open may also expand at most MARSHAL_GUNZIP_RATIO
 * times its compressed size (real dumps: 2-6 times) or MARSHAL_GUNZIP_FLOOR,
 * whichever is more: a 4 MB gzip bomb stops at 256 MB, not 4 GiB. */
#define MARSHAL_GUNZIP_LIMIT ((size_t)4 << 30)
#define MARSHAL_GUNZIP_RATIO 64
#define MARSHAL_GUNZIP_FLOOR ((size_t)64 << 20)
int ps_marshal_gunzip(const unsigned char *in, size_t inlen, unsigned char **out,
                   size_t *outlen, size_t limit, ps_error *err);
void ps_marshal_input_close(marshal_input *in);

/* ---- writer ------------------------------------------------------------
 * Writes marshal data CPython reads back identically.  version 4 uses ')'
 * 'z' 'a' where they fit (3.4+ reads it), and the FLAG_REF marks and 'r'
 * references its caller asks for; version 2 uses only '(' 'u' 'i' 'l' 'g'
 * '{' so Python 2.7 reads it too. */
typedef struct marshal_writer {
    int version;
    unsigned char *buf;
    size_t len, cap;
    int failed;           /* out of memory */
    uint32_t nrefs;       /* objects flagged so far: the next one's reference index */
    int flag_next;        /* the next object's type byte gets FLAG_REF */
} marshal_writer;

/* Version 3+ only: flag the next object written and return the index by
 * which ps_marshal_write_ref refers to it later (CPython numbers flagged
 * objects in the order their type bytes come: a tuple before its items). */
uint32_t ps_marshal_write_flag_next(marshal_writer *w);
void ps_marshal_write_ref(marshal_writer *w, uint32_t index);

void ps_marshal_writer_init(marshal_writer *w, int version);
void ps_marshal_writer_free(marshal_writer *w);
void ps_marshal_write_none(marshal_writer *w);
void ps_marshal_write_int(marshal_writer *w, int64_t v);
void ps_marshal_write_float(marshal_writer *w, double v);
void ps_marshal_write_str(marshal_writer *w, const char *s, size_t len);
void ps_marshal_write_tuple_begin(marshal_writer *w, uint32_t n);
void ps_marshal_write_dict_begin(marshal_writer *w);
void ps_marshal_write_dict_end(marshal_writer *w);
void ps_marshal_write_code(marshal_writer *w, const mcode *c);  /* as a str: its repr */

#endif
