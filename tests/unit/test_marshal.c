/* test_marshal.c - the marshal reader: each type code, references, code
 * objects of every layout, and CPython's error messages (Python/marshal.c;
 * pstats(5), sections MARSHAL FORMAT and CODE OBJECTS). */
#include <stdlib.h>
#include <string.h>
#include "pstats/marshal.h"
#include "pstats/stats.h"
#include "test.h"

static marshal_reader *last;   /* the objects of the last READ live until the next one */

/* Read one object from bytes; returns 0/-1 and fills *o and *e. */
static int read1(const char *bytes, size_t len, mobj *o, ps_error *e, marshal_reader **keep)
{
    marshal_reader *r = ps_marshal_reader_new((const unsigned char *)bytes, len);
    ps_error_clear(e);
    int rc = ps_marshal_read_object(r, o, e);
    if (keep) {
        *keep = r;
    } else {
        ps_marshal_reader_free(last);
        last = r;
    }
    return rc;
}

#define READ(lit, o, e) read1(lit, sizeof(lit) - 1, o, e, NULL)

static void expect_error(const char *bytes, size_t len, const char *exc, const char *msg,
                         long long offset)
{
    mobj o;
    ps_error e;
    int rc = read1(bytes, len, &o, &e, NULL);
    CHECK(rc == -1);
    CHECK_STR(e.pyexc, exc);
    CHECK_STR(e.pymsg, msg);
    if (offset >= 0)
        CHECK(e.offset == offset);
}
#define EXPECT_ERROR(lit, exc, msg, off) expect_error(lit, sizeof(lit) - 1, exc, msg, off)

static void test_scalars(void)
{
    mobj o;
    ps_error e;
    CHECK(READ("N", &o, &e) == 0 && o.type == MO_NONE);
    CHECK(READ("T", &o, &e) == 0 && o.type == MO_BOOL && o.u.i == 1);
    CHECK(READ("F", &o, &e) == 0 && o.type == MO_BOOL && o.u.i == 0);
    CHECK(READ("i\x05\x00\x00\x00", &o, &e) == 0 && o.type == MO_INT && o.u.i == 5);
    CHECK(READ("i\xff\xff\xff\xff", &o, &e) == 0 && o.u.i == -1);
    /* 'I': 64-bit, written by 2.7 for ints beyond 32 bits */
    CHECK(READ("I\x00\x00\x00\x00\x01\x00\x00\x00", &o, &e) == 0 && o.u.i == 4294967296LL);
    /* 'l': base 2**15 digits, least significant first; sign in the count */
    CHECK(READ("l\x02\x00\x00\x00\x00\x00\x01\x00", &o, &e) == 0 && o.type == MO_INT &&
          o.u.i == 32768);
    CHECK(READ("l\xfe\xff\xff\xff\x01\x00\x01\x00", &o, &e) == 0 && o.u.i == -32769);
    CHECK(READ("l\x00\x00\x00\x00", &o, &e) == 0 && o.u.i == 0);
    /* 2**75: too big for int64, kept as an approximation */
    CHECK(READ("l\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00", &o, &e) == 0 &&
          o.type == MO_BIGINT && o.u.f == 37778931862957161709568.0);
    CHECK(READ("g\x00\x00\x00\x00\x00\x00\xe0\x3f", &o, &e) == 0 && o.type == MO_FLOAT &&
          o.u.f == 0.5);
    CHECK(READ("f\x13" "0.10000000000000001", &o, &e) == 0 && o.type == MO_FLOAT && o.u.f == 0.1);
}

static void test_strings(void)
{
    mobj o;
    ps_error e;
    CHECK(READ("u\x04\x00\x00\x00" "a.py", &o, &e) == 0 && o.type == MO_STR);
    CHECK_STR(o.u.s->s, "a.py");
    CHECK(READ("t\x01\x00\x00\x00" "f", &o, &e) == 0 && o.type == MO_STR);
    CHECK(READ("a\x03\x00\x00\x00" "abc", &o, &e) == 0 && o.type == MO_STR && o.u.s->len == 3);
    CHECK(READ("A\x03\x00\x00\x00" "abc", &o, &e) == 0 && o.type == MO_STR);
    CHECK(READ("z\x03" "abc", &o, &e) == 0 && o.type == MO_STR);
    CHECK(READ("Z\x00", &o, &e) == 0 && o.type == MO_STR && o.u.s->len == 0);
    CHECK(READ("s\x02\x00\x00\x00" "hi", &o, &e) == 0 && o.type == MO_BYTES);
    /* strings are copies, hashed as a pool hashes them: equal text read
     * twice interns to one pointer without being hashed again */
    mobj a, b;
    marshal_reader *ra, *rb;
    CHECK(read1("z\x03" "abc", 5, &a, &e, &ra) == 0);
    CHECK(read1("u\x03\x00\x00\x00" "abc", 8, &b, &e, &rb) == 0);
    CHECK(a.u.s != b.u.s && a.u.s->hash == ps_hash_bytes("abc", 3) && b.u.s->hash == a.u.s->hash);
    strpool pool;
    ps_strpool_init(&pool);
    const ps_str *pa = ps_strpool_intern_str(&pool, a.u.s);
    CHECK(pa && pa == ps_strpool_intern_str(&pool, b.u.s) && pa == ps_strpool_intern(&pool, "abc", 3));
    CHECK(pa->cplen == 3 && pool.count == 1);
    ps_strpool_free(&pool);
    ps_marshal_reader_free(ra);
    ps_marshal_reader_free(rb);
    /* utf-8 length in code points */
    CHECK(READ("u\x03\x00\x00\x00" "\xc3\xa9x", &o, &e) == 0 && o.u.s->cplen == 2);
}

static void test_containers(void)
{
    mobj o;
    ps_error e;
    CHECK(READ(")\x03z\x01" "a" "i\x01\x00\x00\x00" "N", &o, &e) == 0 && o.type == MO_TUPLE &&
          o.n == 3 && o.u.items[1].u.i == 1 && o.u.items[2].type == MO_NONE);
    CHECK(READ("(\x02\x00\x00\x00" "TF", &o, &e) == 0 && o.type == MO_TUPLE && o.n == 2);
    CHECK(READ("[\x01\x00\x00\x00" "N", &o, &e) == 0 && o.type == MO_LIST && o.n == 1);
    CHECK(READ("{z\x01" "ai\x01\x00\x00\x00" "z\x01" "bi\x02\x00\x00\x00" "0", &o, &e) == 0 &&
          o.type == MO_DICT && o.n == 2);
    /* a '0' in value position ends the dict and drops that key */
    CHECK(READ("{z\x01" "ai\x01\x00\x00\x00" "z\x01" "b0", &o, &e) == 0 && o.n == 1);
    CHECK(READ("{0", &o, &e) == 0 && o.n == 0 && !ps_mobj_truthy(&o));
}

static void test_references(void)
{
    mobj o;
    ps_error e;
    /* FLAG_REF (0x80) numbers objects in pre-order; 'r' refers back */
    CHECK(READ(")\x03\xfa\x04" "a.py" "r\x00\x00\x00\x00" "r\x00\x00\x00\x00", &o, &e) == 0);
    CHECK(o.n == 3 && o.u.items[1].type == MO_STR && o.u.items[1].u.s == o.u.items[0].u.s);
    /* a flagged tuple reserves its slot before its items: slot 0 is the tuple */
    CHECK(READ("(\x02\x00\x00\x00\xe9\x07\x00\x00\x00" "r\x01\x00\x00\x00", &o, &e) == -1);
    CHECK(READ("\xa9\x02\xe9\x07\x00\x00\x00" "r\x01\x00\x00\x00", &o, &e) == 0 &&
          o.u.items[1].u.i == 7);
    /* flagged numbers inside a tuple take slots in order, as read_obj would
     * (CPython 3.11: (7, 7, 0.5, 0.5)); a reference to the tuple being read
     * is the tuple itself */
    CHECK(READ(")\x04\xe9\x07\x00\x00\x00r\x00\x00\x00\x00"
               "\xe7\x00\x00\x00\x00\x00\x00\xe0\x3f" "r\x01\x00\x00\x00", &o, &e) == 0);
    CHECK(o.n == 4 && o.u.items[1].type == MO_INT && o.u.items[1].u.i == 7 &&
          o.u.items[3].type == MO_FLOAT && o.u.items[3].u.f == 0.5);
    CHECK(READ("\xa9\x01r\x00\x00\x00\x00", &o, &e) == 0 && o.u.items[0].type == MO_TUPLE &&
          o.u.items[0].u.items == o.u.items);
    /* a 4-byte int, a float and references that do not fit, inside a tuple */
    EXPECT_ERROR(")\x02i\x01\x00\x00\x00g\x00\x00", "EOFError", "EOF read where not expected", 8);
    EXPECT_ERROR(")\x01i\x01\x00", "EOFError", "EOF read where not expected", 3);
    EXPECT_ERROR(")\x01r\x05\x00\x00\x00", "ValueError", "bad marshal data (invalid reference)", 2);
    EXPECT_ERROR(")\x01r\x00\x00", "EOFError", "EOF read where not expected", 3);
    /* Python 2 string references: 'R' n = the n-th interned string */
    CHECK(READ(")\x03t\x02\x00\x00\x00" "ab" "t\x02\x00\x00\x00" "cd" "R\x01\x00\x00\x00", &o, &e) == 0);
    CHECK_STR(o.u.items[2].u.s->s, "cd");
    EXPECT_ERROR("r\x00\x00\x00\x00", "ValueError", "bad marshal data (invalid reference)", 0);
    EXPECT_ERROR(")\x01R\x05\x00\x00\x00", "ValueError", "bad marshal data (string ref out of range)", 2);
}

/* Dict keys that refer back are looked up after the dict's pairs are read
 * (read_key); errors still come in CPython's order (messages from 3.11). */
static void test_deferred_keys(void)
{
    mobj o;
    ps_error e;
    CHECK(READ("[\x02\x00\x00\x00\xa9\x01z\x01" "a{r\x00\x00\x00\x00N0", &o, &e) == 0);
    CHECK(o.u.items[1].type == MO_DICT && o.u.items[1].n == 1);
    CHECK(o.u.items[1].u.items[0].type == MO_TUPLE && o.u.items[1].u.items[0].n == 1 &&
          o.u.items[1].u.items[0].u.items == o.u.items[0].u.items);
    EXPECT_ERROR("[\x02\x00\x00\x00\xa9\x01z\x01" "a{r\x00\x00\x00\x00", "EOFError",
                 "EOF read where object expected", 16);
    EXPECT_ERROR("[\x02\x00\x00\x00\xa9\x01z\x01" "a{[\x00\x00\x00\x00Nr\x07\x00\x00\x00N0",
                 "TypeError", "unhashable type: 'list'", 11);
    EXPECT_ERROR("[\x02\x00\x00\x00\xa9\x01z\x01" "a{r\x00\x00\x00\x00N[\x00\x00\x00\x00N0",
                 "TypeError", "unhashable type: 'list'", 17);
    EXPECT_ERROR("[\x02\x00\x00\x00\xa9\x01z\x01" "a{r\x05\x00\x00\x00N0", "ValueError",
                 "bad marshal data (invalid reference)", 11);
    /* a key referring to an unhashable tuple, directly or inside another */
    EXPECT_ERROR("[\x02\x00\x00\x00\xa9\x01[\x00\x00\x00\x00{r\x00\x00\x00\x00N0", "TypeError",
                 "unhashable type: 'list'", 13);
    EXPECT_ERROR("[\x02\x00\x00\x00\xa9\x01[\x00\x00\x00\x00{)\x01r\x00\x00\x00\x00N0",
                 "TypeError", "unhashable type: 'list'", 13);
    /* A reference to a dict is refused (ours; CPython would load it): the
     * refusal comes first whatever follows the key -- an unhashable key, a
     * value cut short, a '0' value. */
    static const char *const tails[] = {"N[\x00\x00\x00\x00N0", "", "0"};
    for (int i = 0; i < 3; i++) {
        char buf[64];
        size_t n = 0;
        memcpy(buf, "[\x02\x00\x00\x00\xfb" "0{r\x00\x00\x00\x00", 13);
        n = 13;
        memcpy(buf + n, tails[i], strlen(tails[i]));
        n += strlen(tails[i]);
        expect_error(buf, n, "ValueError", "bad marshal data (invalid reference)", 8);
    }
}

static void test_errors(void)
{
    EXPECT_ERROR("", "EOFError", "EOF read where object expected", 0);
    EXPECT_ERROR("i\x01\x00", "EOFError", "EOF read where not expected", 1);
    EXPECT_ERROR("z", "EOFError", "EOF read where not expected", 1);
    EXPECT_ERROR("u\x05\x00\x00\x00" "ab", "EOFError", "EOF read where not expected", 5);
    EXPECT_ERROR(")\x02N", "EOFError", "EOF read where object expected", -1);
    EXPECT_ERROR("{z\x01" "aN", "EOFError", "EOF read where object expected", 5);
    EXPECT_ERROR("Q", "ValueError", "bad marshal data (unknown type code)", 0);
    EXPECT_ERROR("(\xff\xff\xff\xff", "ValueError", "bad marshal data (tuple size out of range)", 0);
    EXPECT_ERROR("[\xff\xff\xff\xff", "ValueError", "bad marshal data (list size out of range)", 0);
    EXPECT_ERROR("u\xff\xff\xff\xff", "ValueError", "bad marshal data (string size out of range)", 1);
    EXPECT_ERROR("l\x01\x00\x00\x00\x00\x80", "ValueError", "bad marshal data (digit out of range in long)", 5);
    EXPECT_ERROR("l\x01\x00\x00\x00\x00\x00", "ValueError", "bad marshal data (unnormalized long data)", 5);
    EXPECT_ERROR("0", "TypeError", "NULL object in marshal data for object", 0);
    EXPECT_ERROR(")\x01" "0", "TypeError", "NULL object in marshal data for tuple", 2);
    EXPECT_ERROR("[\x01\x00\x00\x00" "0", "TypeError", "NULL object in marshal data for list", 5);
    EXPECT_ERROR("{[\x00\x00\x00\x00N0", "TypeError", "unhashable type: 'list'", -1);
    /* a lying length cannot allocate: 2**31-1 items with 3 bytes left */
    EXPECT_ERROR("(\xff\xff\xff\x7fNNN", "EOFError", "EOF read where object expected", -1);
}

static void test_depth(void)
{
    /* CPython: 1999 nested 1-tuples load with any object inside, 2000 fail
     * (numbers inside a tuple take a shorter path than 'N': same limit) */
    static const struct { const char *bytes; size_t len; } inner[] = {
        {"N", 1}, {"i\x01\x00\x00\x00", 5}, {"\xe9\x01\x00\x00\x00", 5},
        {"g\x00\x00\x00\x00\x00\x00\xe0\x3f", 9},
    };
    for (size_t k = 0; k < sizeof inner / sizeof inner[0]; k++)
        for (int depth = 1999; depth <= 2001; depth++) {
            size_t len = (size_t)depth * 2 + inner[k].len;
            char *b = malloc(len);
            for (int i = 0; i < depth; i++) {
                b[2 * i] = ')';
                b[2 * i + 1] = 1;
            }
            memcpy(b + 2 * depth, inner[k].bytes, inner[k].len);
            mobj o;
            ps_error e;
            int rc = read1(b, len, &o, &e, NULL);
            if (depth == 1999)
                CHECK(rc == 0);
            else {
                CHECK(rc == -1);
                CHECK_STR(e.pymsg, "recursion limit exceeded");
                CHECK(e.offset == 2 * 2000);
            }
            free(b);
        }
}

/* Code objects of every layout, from real profile.py dumps (2.7, 3.6-3.7,
 * 3.8-3.10, 3.11+): the script's code object names one function. */
static void test_code_layouts(void)
{
    static const char *const dumps[] = {
        "tests/dumps/recur-profile-2.7.prof", "tests/dumps/recur-profile-3.6.prof",
        "tests/dumps/recur-profile-3.8.prof", "tests/dumps/recur-profile-3.10.prof",
        "tests/dumps/recur-profile-3.12.prof", "tests/dumps/recur-profile-3.13.prof",
    };
    for (size_t i = 0; i < sizeof dumps / sizeof dumps[0]; i++) {
        ps_stats *s = ps_stats_new();
        ps_error e;
        int rc = ps_stats_load_file(s, dumps[i], &e);
        CHECK(rc == 0);
        if (rc) {
            fprintf(stderr, "%s: %s\n", dumps[i], e.msg);
            ps_stats_free(s);
            continue;
        }
        int found = 0;
        for (uint32_t k = 0; k < s->nentries; k++) {
            const ps_func *f = &s->funcs[s->entries[k].func];
            if (f->name_is_code) {
                found++;
                CHECK(strncmp(f->name->s, "<code object <module> at 0x", 27) == 0);
                CHECK(strstr(f->name->s, ", file \"recur.py\", line 1>") != NULL);
                CHECK_STR(f->file->s, "profile");
            }
        }
        CHECK(found == 1);
        ps_stats_free(s);
    }
}

int main(void)
{
    test_scalars();
    test_strings();
    test_containers();
    test_references();
    test_deferred_keys();
    test_errors();
    test_depth();
    test_code_layouts();
    ps_marshal_reader_free(last);
    return TEST_SUMMARY();
}
