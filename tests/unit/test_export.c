/* test_export.c - the speedscope and pprof writers on exact stacks with
 * hostile names: the JSON parses (jansson) and gives back every name (quotes,
 * backslashes, control characters; bytes that are not UTF-8 as their Latin-1
 * characters), every stack and weight; the pprof profile unpacks (protobuf-c)
 * with "" first in the string table, leaf-first locations, the counts and
 * nanoseconds of the stacks. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/marshal.h"
#include "pstats/pprof.h"
#include "pstats/speedscope.h"
#include "pstats/stats.h"
#include "profile.pb-c.h"
#include "test.h"

static uint32_t func(ps_stats *s, const char *file, size_t flen, int64_t line, const char *name,
                     size_t nlen)
{
    return ps_stats_func_intern(s, ps_strpool_intern(&s->pool, file, flen), line,
                             ps_strpool_intern(&s->pool, name, nlen), 0);
}

static char *slurp(FILE *fp, size_t *len)
{
    fflush(fp);
    long n = ftell(fp);
    rewind(fp);
    char *buf = malloc((size_t)n + 1);
    *len = fread(buf, 1, (size_t)n, fp);
    buf[*len] = 0;
    return buf;
}

int main(void)
{
    ps_stats *s = ps_stats_new();
    ps_error e;
    ps_error_clear(&e);
    /* names: a quote and a backslash; a tab and a newline; Latin-1 bytes (not UTF-8); a NUL */
#define S(lit) lit, sizeof lit - 1
    uint32_t f0 = func(s, S("~"), 0, S("<built-in method exec>"));
    uint32_t f1 = func(s, S("a \"b\".py"), 3, S("f\\g"));
    uint32_t f2 = func(s, S("c.py"), 7, S("tab\there\nnl"));
    uint32_t f3 = func(s, S("caf\xe9.py"), 9, S("\xff\xfe"));
    uint32_t f4 = func(s, S("n.py"), 1, S("nul\0x"));
    ps_stacks *st = calloc(1, sizeof *st);
    ps_stacks_init(st);
    uint32_t k0[] = {f0, f1, f2}, k1[] = {f0, f1}, k2[] = {f0, f3, f4, f1};
    CHECK(ps_stacks_add(st, k0, 3, 0.25, 25, &e) == 0);
    CHECK(ps_stacks_add(st, k1, 2, 0.1, 10, &e) == 0);
    CHECK(ps_stacks_add(st, k2, 4, 1e-9 / 3, 1, &e) == 0);
    s->stacks = st;

    /* ---- speedscope ---- */
    FILE *fp = tmpfile();
    CHECK(ps_speedscope_write(s, st, "t\"1", fp, "tmp", &e) == 0);
    size_t len;
    char *text = slurp(fp, &len);
    fclose(fp);
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_ALLOW_NUL, &je);
    CHECK(root != NULL);
    if (!root)
        fprintf(stderr, "%s at byte %d\n%s\n", je.text, je.position, text);
    json_t *frames = json_object_get(json_object_get(root, "shared"), "frames");
    json_t *p = json_array_get(json_object_get(root, "profiles"), 0);
    CHECK(json_array_size(frames) == 5);
    const char *want_names[] = {"<built-in method exec>", "f\\g", "tab\there\nnl", "\xc3\xbf\xc3\xbe"};
    for (int i = 0; i < 4; i++) {
        json_t *n = json_object_get(json_array_get(frames, (size_t)i), "name");
        CHECK_STR(json_string_value(n), want_names[i]);
        CHECK(json_string_length(n) == strlen(want_names[i]));
    }
    json_t *nul = json_object_get(json_array_get(frames, 4), "name");
    CHECK(json_string_length(nul) == 5 && memcmp(json_string_value(nul), "nul\0x", 5) == 0);
    CHECK(json_object_get(json_array_get(frames, 0), "file") == NULL);   /* a builtin */
    CHECK_STR(json_string_value(json_object_get(json_array_get(frames, 1), "file")), "a \"b\".py");
    CHECK_STR(json_string_value(json_object_get(json_array_get(frames, 3), "file")), "caf\xc3\xa9.py");
    CHECK(json_integer_value(json_object_get(json_array_get(frames, 3), "line")) == 9);
    CHECK_STR(json_string_value(json_object_get(p, "name")), "t\"1");
    CHECK_STR(json_string_value(json_object_get(p, "type")), "sampled");
    json_t *samples = json_object_get(p, "samples"), *weights = json_object_get(p, "weights");
    CHECK(json_array_size(samples) == 3 && json_array_size(weights) == 3);
    json_t *s2 = json_array_get(samples, 2);
    CHECK(json_array_size(s2) == 4 && json_integer_value(json_array_get(s2, 0)) == 0 &&
          json_integer_value(json_array_get(s2, 1)) == 3 &&
          json_integer_value(json_array_get(s2, 2)) == 4 &&
          json_integer_value(json_array_get(s2, 3)) == 1);
    /* weights read back exactly, the end value is their sum */
    CHECK(json_real_value(json_array_get(weights, 0)) == 0.25);
    CHECK(json_real_value(json_array_get(weights, 2)) == 1e-9 / 3);
    CHECK(json_number_value(json_object_get(p, "endValue")) == ps_stacks_total(st));
    json_decref(root);
    free(text);

    /* ---- estimated: the name says so ---- */
    st->estimated = 1;
    fp = tmpfile();
    CHECK(ps_speedscope_write(s, st, "x", fp, "tmp", &e) == 0);
    text = slurp(fp, &len);
    fclose(fp);
    CHECK(strstr(text, "\"name\":\"x (estimated stacks)\"") != NULL);
    free(text);
    st->estimated = 0;

    /* ---- pprof ---- */
    fp = tmpfile();
    CHECK(ps_pprof_write(s, st, fp, "tmp", &e) == 0);
    char *gz = slurp(fp, &len);
    fclose(fp);
    unsigned char *raw = NULL;
    size_t rawlen = 0;
    CHECK(ps_marshal_gunzip((unsigned char *)gz, len, &raw, &rawlen, (size_t)1 << 24, &e) == 0);
    Ps__Pprof__Profile *pr = ps__pprof__profile__unpack(NULL, rawlen, raw);
    CHECK(pr != NULL);
    if (pr) {
        CHECK(pr->n_string_table > 0 && pr->string_table[0][0] == 0);
        CHECK(pr->n_sample_type == 2);
        CHECK_STR(pr->string_table[pr->sample_type[0]->type], "samples");
        CHECK_STR(pr->string_table[pr->sample_type[1]->unit], "nanoseconds");
        CHECK_STR(pr->string_table[pr->default_sample_type], "time");
        CHECK(pr->n_function == 5 && pr->n_location == 5 && pr->n_sample == 3);
        /* sample 2: leaf first, the stack reversed; one sample; weight in ns rounded */
        Ps__Pprof__Sample *sa = pr->sample[2];
        CHECK(sa->n_location_id == 4 && sa->location_id[0] == 2 && sa->location_id[3] == 1);
        CHECK(sa->n_value == 2 && sa->value[0] == 1 && sa->value[1] == 0);
        CHECK(pr->sample[0]->value[0] == 25 && pr->sample[0]->value[1] == 250000000);
        /* names: UTF-8, NUL as '?' */
        const Ps__Pprof__Function *fn = pr->function[3];
        CHECK_STR(pr->string_table[fn->name], "\xc3\xbf\xc3\xbe");
        CHECK_STR(pr->string_table[fn->filename], "caf\xc3\xa9.py");
        CHECK(fn->start_line == 9);
        CHECK_STR(pr->string_table[pr->function[4]->name], "nul?x");
        CHECK_STR(pr->string_table[pr->function[1]->system_name], "a \"b\".py:3(f\\g)");
        CHECK(pr->n_comment == 0);
        ps__pprof__profile__free_unpacked(pr, NULL);
    }
    free(raw);
    free(gz);

    /* a stack frame that is no function of the stats is refused, not read past */
    uint32_t badk[] = {f0, 999};
    CHECK(ps_stacks_add(st, badk, 2, 1, 1, &e) == 0);
    fp = tmpfile();
    CHECK(ps_speedscope_write(s, st, NULL, fp, "tmp", &e) < 0 && e.code == PS_EUSAGE);
    CHECK(ps_pprof_write(s, st, fp, "tmp", &e) < 0 && e.code == PS_EUSAGE);
    fclose(fp);
    ps_stats_free(s);
    return TEST_SUMMARY();
}
