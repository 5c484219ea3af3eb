/* test_hardening.c - regression tests for what fuzzing and the corruption
 * tests found in the library (issue 6), one function per bug. */
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "pstats/export.h"
#include "pstats/marshal.h"
#include "pstats/stats.h"
#include "test.h"

/* ---- building dumps with the library's own writer ------------------------- */

static void w_key(marshal_writer *w, const char *file, int64_t line, const char *name)
{
    ps_marshal_write_tuple_begin(w, 3);
    ps_marshal_write_str(w, file, strlen(file));
    ps_marshal_write_int(w, line);
    ps_marshal_write_str(w, name, strlen(name));
}

/* key: (cc, nc, tt, ct, { ...callers follow, then ps_marshal_write_dict_end *) */
static void w_entry(marshal_writer *w, const char *file, int64_t line, const char *name,
                    int64_t cc, int64_t nc)
{
    w_key(w, file, line, name);
    ps_marshal_write_tuple_begin(w, 5);
    ps_marshal_write_int(w, cc);
    ps_marshal_write_int(w, nc);
    ps_marshal_write_float(w, 0.5);
    ps_marshal_write_float(w, 0.5);
    ps_marshal_write_dict_begin(w);
}

static void w_caller(marshal_writer *w, const char *file, int64_t line, const char *name,
                     int64_t nc, int64_t cc)
{
    w_key(w, file, line, name);
    ps_marshal_write_tuple_begin(w, 4);
    ps_marshal_write_int(w, nc);
    ps_marshal_write_int(w, cc);
    ps_marshal_write_float(w, 0.25);
    ps_marshal_write_float(w, 0.25);
}

static ps_stats *load_w(marshal_writer *w, ps_error *e)
{
    ps_stats *s = ps_stats_new();
    ps_error_clear(e);
    if (ps_stats_load_buffer(s, w->buf, w->len, "t.prof", e) < 0) {
        ps_stats_free(s);
        return NULL;
    }
    return s;
}

/* An error message is one line: a float's text with a newline in it used to
 * be copied into the message as it was. */
static void test_error_one_line(void)
{
    static const unsigned char bytes[] = "f\x05" "1.\n2x";
    marshal_reader *r = ps_marshal_reader_new(bytes, sizeof bytes - 1);
    mobj o;
    ps_error e;
    ps_error_clear(&e);
    CHECK(ps_marshal_read_object(r, &o, &e) == -1);
    CHECK(strchr(e.msg, '\n') == NULL);
    CHECK(strstr(e.msg, "1.\\x0a2x") != NULL);
    ps_marshal_reader_free(r);
}

/* Call counts near 2**63: the totals of a load and the sums of add used to
 * overflow int64 (undefined behaviour; wrapped to negative counts). */
static void test_count_overflow(void)
{
    const int64_t big = INT64_C(1) << 62;
    marshal_writer w;
    ps_marshal_writer_init(&w, 4);
    ps_marshal_write_dict_begin(&w);
    w_entry(&w, "a.py", 1, "f", big, big);
    w_caller(&w, "a.py", 2, "g", big, big);
    ps_marshal_write_dict_end(&w);
    w_entry(&w, "a.py", 2, "g", big, big);
    ps_marshal_write_dict_end(&w);
    w_entry(&w, "a.py", 3, "h", -big, -big);
    ps_marshal_write_dict_end(&w);
    w_entry(&w, "a.py", 4, "i", -big, -big);
    ps_marshal_write_dict_end(&w);
    w_entry(&w, "a.py", 5, "j", -big, -big);
    ps_marshal_write_dict_end(&w);
    ps_marshal_write_dict_end(&w);
    ps_error e;
    ps_stats *s = load_w(&w, &e), *t = load_w(&w, &e);
    CHECK(s && t);
    if (s && t) {
        /* the totals are exact, as Python's: 2**62 + 2**62 - 3 * 2**62 */
        CHECK(s->total_calls == (ps_count_total)big * 2 - (ps_count_total)big * 3);
        CHECK(ps_stats_add(s, t, &e) == 0);
        const ps_entry *en = &s->entries[0];
        CHECK(en->nc == INT64_MAX && en->cc == INT64_MAX);
        CHECK(en->ncallers == 1 && en->callers[0].nc == INT64_MAX);
        CHECK(s->entries[2].nc == -2 * big);
        CHECK(ps_stats_add(s, t, &e) == 0 && s->entries[2].nc == INT64_MIN);
    }
    ps_stats_free(s);
    ps_stats_free(t);
    ps_marshal_writer_free(&w);
}

/* One entry value given to two entries through a back-reference: each entry
 * used to get its own copy of the shared callers dict, so memory grew with
 * the square of the input.  Now refused. */
static void test_shared_value(void)
{
    static const char dump[] =
        "{"
        ")\x03" "z\x01" "a" "i\x01\x00\x00\x00" "z\x01" "f"             /* ('a', 1, 'f') */
        "\xa9\x05" "i\x01\x00\x00\x00" "i\x01\x00\x00\x00"      /* flagged (1, 1, */
        "g\x00\x00\x00\x00\x00\x00\xe0\x3f" "g\x00\x00\x00\x00\x00\x00\xe0\x3f"
        "{" ")\x03" "z\x01" "c" "i\x07\x00\x00\x00" "z\x01" "c"         /* {('c', 7, 'c'): */
        "i\x01\x00\x00\x00" "0"                                 /*  1}) */
        ")\x03" "z\x01" "a" "i\x02\x00\x00\x00" "z\x01" "g"             /* ('a', 2, 'g') */
        "r\x00\x00\x00\x00"                                     /* the same value */
        "0";
    ps_stats *s = ps_stats_new();
    ps_error e;
    int rc = ps_stats_load_buffer(s, (const unsigned char *)dump, sizeof dump - 1, "t.prof", &e);
    CHECK(rc == -1);
    CHECK(rc == -1 && e.code == PS_EDATA && strstr(e.msg, "back-reference") != NULL);
    CHECK(s->nentries == 0);
    ps_stats_free(s);
}

/* A gzip bomb: 80 MiB of zeros in 80 kB used to be expanded in full (4 GiB
 * ones took 4 GB and 30 s); expansion is now bounded by 64 times the
 * compressed size (at least 64 MiB). */
static void test_gzip_bomb(void)
{
    char path[] = "/tmp/test_hardening.XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    gzFile gz = gzdopen(fd, "wb9");
    static unsigned char zeros[1 << 20];
    for (int i = 0; i < 80; i++)
        gzwrite(gz, zeros, sizeof zeros);
    gzclose(gz);
    marshal_input in;
    ps_error e;
    ps_error_clear(&e);
    int rc = ps_marshal_input_open(&in, path, &e);
    CHECK(rc == -1 && e.code == PS_EFORMAT && strstr(e.msg, "expands beyond 64 MiB"));
    if (rc == 0)
        ps_marshal_input_close(&in);
    unlink(path);
}

/* `-o /dev/null`: the atomic writer renamed its temporary over the device
 * node, which left a regular file at /dev/null (it happened on the build
 * machine).  A FIFO stands in for the device here; and through a symbolic
 * link the file it names is replaced, not the link. */
static void test_write_special_files(void)
{
    char dir[] = "/tmp/test_hardening.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char fifo[64], link[64], target[64];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    snprintf(target, sizeof target, "%s/target", dir);
    ps_stats *s = ps_stats_new();
    ps_error e;
    CHECK(ps_stats_load_file(s, "data/restats", &e) == 0);

    CHECK(mkfifo(fifo, 0600) == 0);
    int rd = open(fifo, O_RDONLY | O_NONBLOCK);   /* a reader, so opening for write does not wait */
    CHECK(rd >= 0);
    CHECK(ps_export_dump(s, fifo, 4, 0, &e) == 0);
    struct stat st;
    CHECK(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
    char buf[4096];
    ssize_t n = read(rd, buf, sizeof buf);
    CHECK(n > 0 && buf[0] == '{');
    close(rd);

    FILE *fp = fopen(target, "w");
    CHECK(fp && fputs("old", fp) >= 0 && fclose(fp) == 0);
    CHECK(symlink("target", link) == 0);
    CHECK(ps_export_dump(s, link, 4, 0, &e) == 0);
    CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat(target, &st) == 0 && st.st_size > 100);

    /* ps_export_file_open blocks the interrupting signals only while it creates
     * and registers the temporary */
    export_file f;
    CHECK(ps_export_file_open(&f, target, &e) == 0);
    sigset_t now;
    CHECK(pthread_sigmask(SIG_BLOCK, NULL, &now) == 0 && !sigismember(&now, SIGINT) &&
          !sigismember(&now, SIGTERM));
    ps_export_file_abort(&f);

    ps_stats_free(s);
    unlink(fifo);
    unlink(link);
    unlink(target);
    rmdir(dir);
}

int main(void)
{
    test_error_one_line();
    test_count_overflow();
    test_shared_value();
    test_gzip_bomb();
    test_write_special_files();
    return TEST_SUMMARY();
}
