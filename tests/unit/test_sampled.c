/* test_sampled.c - the sample builder (include/pstats/sampled.h): each rule of
 * the semantics on stacks small enough to count by hand (the comments do the
 * counting), the refusals, and the stacks kept for the writers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "pstats/sampled.h"
#include "test.h"

#define F(file, name, line) {file, sizeof file - 1, name, sizeof name - 1, line, 0}

static const ps_entry *row(const ps_stats *s, const char *file, int64_t line, const char *name)
{
    uint32_t f = ps_stats_func_find(s, file, strlen(file), line, name, strlen(name));
    return f == PS_NONE ? NULL : ps_stats_entry_of(s, f);
}

static const ps_edge *edge(const ps_stats *s, const ps_entry *callee, const char *file,
                           int64_t line, const char *name)
{
    uint32_t g = ps_stats_func_find(s, file, strlen(file), line, name, strlen(name));
    for (uint32_t i = 0; callee && i < callee->ncallers; i++)
        if (callee->callers[i].caller == g)
            return &callee->callers[i];
    return NULL;
}

static int near(double a, double b) { return fabs(a - b) < 1e-12; }

int main(void)
{
    ps_error e;
    ps_sample_options o;
    ps_sample_options_init(&o);
    CHECK(o.interval == 0.01 && !o.lines && !o.threads);

    /* main -> f -> f -> g (x2, 0.2 s), main -> f (x1, 0.1 s, f at line 7),
     * one idle sample (0.05 s). */
    ps_stats *s = ps_stats_new();
    ps_sample_builder *b = ps_sample_builder_new(s, &o, &e);
    ps_frame rec[] = {F("a.py", "main", 1), F("a.py", "f", 5), F("a.py", "f", 6), F("a.py", "g", 9)};
    ps_frame one[] = {F("a.py", "main", 2), F("a.py", "f", 7)};
    CHECK(ps_sample_add(b, rec, 4, 0.2, 2, &e) == 0);
    CHECK(ps_sample_add(b, one, 2, 0.1, 1, &e) == 0);
    CHECK(ps_sample_add(b, NULL, 0, 0.05, 1, &e) == 0);
    /* refused: NaN, negative, infinite weights; negative counts */
    CHECK(ps_sample_add(b, one, 2, NAN, 1, &e) == -1 && e.code == PS_EDATA);
    CHECK(ps_sample_add(b, one, 2, -1.0, 1, &e) == -1 && e.code == PS_EDATA);
    CHECK(ps_sample_add(b, one, 2, INFINITY, 1, &e) == -1 && e.code == PS_EDATA);
    CHECK(ps_sample_add(b, one, 2, 1.0, -1, &e) == -1 && e.code == PS_EDATA);
    CHECK(ps_sample_finish(b, &e) == 0);
    CHECK(s->sampled == PS_SAMPLED_STACKS && s->stacks && !s->stacks->estimated);
    CHECK(s->nentries == 3);
    /* rows keyed by the smallest line seen: main:1, f:5, g:9 */
    const ps_entry *m = row(s, "a.py", 1, "main"), *f = row(s, "a.py", 5, "f"),
                   *g = row(s, "a.py", 9, "g");
    CHECK(m && f && g && !row(s, "a.py", 7, "f"));
    /* ncalls = samples holding it: main 3, f 3 (once per sample under recursion), g 2 */
    CHECK(m && m->nc == 3 && m->cc == 3);
    CHECK(f && f->nc == 3 && f->cc == 3);
    CHECK(g && g->nc == 2);
    /* tottime = leaf weight: main 0, f 0.1, g 0.2; cumtime = weight holding it: 0.3, 0.3, 0.2 */
    CHECK(m && near(m->tt, 0) && near(m->ct, 0.3));
    CHECK(f && near(f->tt, 0.1) && near(f->ct, 0.3));
    CHECK(g && near(g->tt, 0.2) && near(g->ct, 0.2));
    /* edges: main->f in 3 samples (0.3 s), f the leaf in one (0.1 s); f->f 2 samples,
     * never the leaf; f->g 2 samples, always the leaf */
    const ps_edge *mf = edge(s, f, "a.py", 1, "main"), *ff = edge(s, f, "a.py", 5, "f"),
                  *fg = edge(s, g, "a.py", 5, "f");
    CHECK(mf && mf->nc == 3 && mf->cc == 3 && near(mf->ct, 0.3) && near(mf->tt, 0.1));
    CHECK(ff && ff->nc == 2 && near(ff->ct, 0.2) && near(ff->tt, 0));
    CHECK(fg && fg->nc == 2 && near(fg->ct, 0.2) && near(fg->tt, 0.2));
    CHECK(m && m->ncallers == 0);
    /* the header's numbers */
    CHECK(s->stacks->idle_count == 1 && near(s->stacks->idle_weight, 0.05));
    CHECK(s->stacks->nstacks == 2 && near(ps_stacks_total(s->stacks), 0.3));
    CHECK(near(s->total_tt, 0.3));

    /* s.add(s'): the same stacks again double everything and stay two stacks */
    ps_stats *t = ps_stats_new();
    b = ps_sample_builder_new(t, &o, &e);
    ps_frame low[] = {F("a.py", "main", 1), F("a.py", "f", 3)};   /* f's smallest line is 3 here */
    CHECK(ps_sample_add(b, low, 2, 0.1, 1, &e) == 0);
    CHECK(ps_sample_finish(b, &e) == 0);
    CHECK(ps_stats_add(s, t, &e) == 0);
    /* one function f again, keyed by the smaller line of the two inputs */
    CHECK(row(s, "a.py", 3, "f") && !row(s, "a.py", 5, "f"));
    CHECK(row(s, "a.py", 3, "f") && row(s, "a.py", 3, "f")->nc == 4);
    CHECK(s->stacks->nstacks == 2 && s->stacks->idle_count == 1);
    ps_stats_free(t);

    /* mixing with a deterministic profile is refused, s unchanged */
    t = ps_stats_new();
    uint32_t x = ps_stats_func_intern(t, ps_strpool_intern(&t->pool, "b.py", 4), 1,
                                   ps_strpool_intern(&t->pool, "h", 1), 0);
    CHECK(x != PS_NONE);
    CHECK(ps_stats_add(s, t, &e) == -1 && e.code == PS_EMERGE);
    ps_stats_free(t);
    ps_stats_free(s);

    /* --lines: one row per line; first lines given (pyinstrument) key the row */
    o.lines = 1;
    s = ps_stats_new();
    b = ps_sample_builder_new(s, &o, &e);
    CHECK(ps_sample_add(b, one, 2, 0.1, 1, &e) == 0);
    CHECK(ps_sample_add(b, rec, 4, 0.1, 1, &e) == 0);
    CHECK(ps_sample_finish(b, &e) == 0);
    CHECK(s->sampled == PS_SAMPLED_LINES && s->nentries == 6);   /* main:1,2 f:5,6,7 g:9 */
    CHECK(row(s, "a.py", 6, "f") && row(s, "a.py", 6, "f")->ncallers == 1);
    ps_stats_free(s);
    o.lines = 0;
    s = ps_stats_new();
    b = ps_sample_builder_new(s, &o, &e);
    ps_frame first1[] = {{"c.py", 4, "m", 1, 10, 1}}, first2[] = {{"c.py", 4, "m", 1, 30, 1}};
    CHECK(ps_sample_add(b, first1, 1, 0.1, 1, &e) == 0);
    CHECK(ps_sample_add(b, first2, 1, 0.1, 1, &e) == 0);
    CHECK(ps_sample_finish(b, &e) == 0);
    CHECK(s->nentries == 2 && row(s, "c.py", 10, "m") && row(s, "c.py", 30, "m"));
    ps_stats_free(s);

    /* counts saturate; invalid UTF-8 escaped; threads as "<thread ID>" frames */
    s = ps_stats_new();
    b = ps_sample_builder_new(s, &o, &e);
    char tb[64];
    ps_frame th = ps_thread_frame(tb, sizeof tb, "0x7f", 4);
    ps_frame bad[] = {th, {"d\xff.py", 5, "h\xc3", 2, 1, 0}};
    CHECK(ps_sample_add(b, bad, 2, 1.0, INT64_MAX, &e) == 0);
    CHECK(ps_sample_add(b, bad, 2, 1.0, 5, &e) == 0);
    CHECK(ps_sample_finish(b, &e) == 0);
    const ps_entry *h = row(s, "d\\xff.py", 1, "h\\xc3"), *tr = row(s, "~", 0, "<thread 0x7f>");
    CHECK(h && h->nc == INT64_MAX && near(h->tt, 2.0));
    CHECK(tr && tr->nc == INT64_MAX);
    CHECK(s->stacks->nstacks == 1 && s->stacks->stacks[0].count == INT64_MAX);
    ps_stats_free(s);

    /* nothing but idle samples: an empty profile, refused */
    s = ps_stats_new();
    b = ps_sample_builder_new(s, &o, &e);
    CHECK(ps_sample_add(b, NULL, 0, 0.01, 3, &e) == 0);
    CHECK(ps_sample_finish(b, &e) == -1 && e.code == PS_EEMPTY);
    ps_stats_free(s);

    /* a million frames deep: linear, once per sample */
    enum { DEEP = 1000000 };
    ps_frame *deep = malloc(DEEP * sizeof *deep);
    for (int i = 0; i < DEEP; i++)
        deep[i] = (ps_frame)F("r.py", "r", 1);
    s = ps_stats_new();
    b = ps_sample_builder_new(s, &o, &e);
    CHECK(ps_sample_add(b, deep, DEEP, 0.5, 1, &e) == 0);
    CHECK(ps_sample_finish(b, &e) == 0);
    const ps_entry *r = row(s, "r.py", 1, "r");
    CHECK(r && r->nc == 1 && near(r->ct, 0.5) && near(r->tt, 0.5) && r->ncallers == 1 &&
          r->callers[0].nc == 1 && near(r->callers[0].ct, 0.5));
    ps_stats_free(s);
    free(deep);

    /* the text importers, by content */
    static const char folded[] = "main (a.py:1);f (a.py:5) 3\n";
    CHECK(ps_sniff_format((const unsigned char *)folded, sizeof folded - 1) == PS_FMT_FOLDED);
    CHECK(ps_sniff_format((const unsigned char *)"Thread 1;f (a.py);L1 5\n", 23) == PS_FMT_AUSTIN);
    CHECK(ps_sniff_format((const unsigned char *)"# austin: 3.6\n", 14) == PS_FMT_AUSTIN);
    CHECK(ps_sniff_format((const unsigned char *)"{(('a', 1, 'f'),): 2}", 21) == PS_FMT_PLOP);
    CHECK(ps_sniff_format((const unsigned char *)"{\x29\x03", 3) == PS_FMT_PSTATS);
    CHECK(ps_sniff_format((const unsigned char *)"hello\n", 6) == PS_FMT_AUTO);
    CHECK(ps_format_from_name("austin") == PS_FMT_AUSTIN && ps_format_from_name("x") == -1);
    s = ps_stats_new();
    CHECK(ps_import_text(s, PS_FMT_FOLDED, (const unsigned char *)folded, sizeof folded - 1, NULL,
                         "label", &e) == 0);
    CHECK(s->nfiles == 1 && !strcmp(s->files[0], "label") && row(s, "a.py", 5, "f") &&
          near(row(s, "a.py", 5, "f")->ct, 0.03));
    ps_stats_free(s);
    s = ps_stats_new();
    CHECK(ps_import_text(s, PS_FMT_FOLDED, (const unsigned char *)"a 1\nb x\n", 8, NULL, NULL,
                         &e) == -1 && e.code == PS_EDATA && !strncmp(e.msg, "line 2: ", 8));
    ps_stats_free(s);
    return TEST_SUMMARY();
}
