/* test_options.c - the writers' options set by name (ps_callgrind_option_set,
 * ps_folded_option_set), which prof2callgrind, prof2folded and pstatsh's
 * `export` all go through: what each sets, the return that says whether the
 * value was taken, names that are not options, and the messages, which the
 * programs print as they are. */
#include "pstats/callgrind.h"
#include "pstats/folded.h"
#include "test.h"

static void test_callgrind(void)
{
    callgrind_options o;
    ps_callgrind_options_init(&o);
    ps_error e;
    ps_error_clear(&e);
    CHECK(o.recursion == CALLGRIND_RECURSION_KEEP);
    CHECK(ps_callgrind_option_set(&o, "recursion", "drop", &e) == 2);
    CHECK(o.recursion == CALLGRIND_RECURSION_DROP);
    CHECK(ps_callgrind_option_set(&o, "recursion", "keep", &e) == 2);
    CHECK(o.recursion == CALLGRIND_RECURSION_KEEP);
    CHECK(ps_callgrind_option_set(&o, "recursion", "Drop", &e) < 0);
    CHECK_STR(e.msg, "--recursion: 'Drop' is not keep or drop");
    CHECK(e.code == PS_EUSAGE);
    CHECK(ps_callgrind_option_set(&o, "recursion", NULL, &e) < 0);
    CHECK_STR(e.msg, "--recursion needs a value (keep or drop)");
    CHECK(o.recursion == CALLGRIND_RECURSION_KEEP);
    CHECK(ps_callgrind_option_set(&o, "recursio", "drop", &e) == 0);
    CHECK(ps_callgrind_option_set(&o, "--recursion", "drop", &e) == 0);
    CHECK(o.recursion == CALLGRIND_RECURSION_KEEP);
}

static void test_folded_values(void)
{
    folded_options o;
    ps_folded_options_init(&o);
    ps_error e;
    ps_error_clear(&e);
    CHECK(ps_folded_option_set(&o, "unit", "ns", &e) == 2 && o.unit == FOLDED_UNIT_NS);
    CHECK(ps_folded_option_set(&o, "unit", "ms", &e) == 2 && o.unit == FOLDED_UNIT_MS);
    CHECK(ps_folded_option_set(&o, "unit", "us", &e) == 2 && o.unit == FOLDED_UNIT_US);
    CHECK(ps_folded_option_set(&o, "min-fraction", "0.25", &e) == 2 && o.min_fraction == 0.25);
    CHECK(ps_folded_option_set(&o, "max-depth", "0", &e) == 2 && o.max_depth == 0);
    CHECK(ps_folded_option_set(&o, "max-repeat", "7", &e) == 2 && o.max_repeat == 7);
    CHECK(ps_folded_option_set(&o, "width", "800", &e) == 2 && o.width == 800);
    static const char title[] = "a title";
    CHECK(ps_folded_option_set(&o, "title", title, &e) == 2 && o.title == title);
    /* the flags: the value is not theirs */
    CHECK(ps_folded_option_set(&o, "inverted", NULL, &e) == 1 && o.inverted == 1);
    CHECK(ps_folded_option_set(&o, "svg", "next-argument", &e) == 1 && o.svg == 1);
    /* not options of the estimate (prof2folded's own, or none at all) */
    CHECK(ps_folded_option_set(&o, "output", "x", &e) == 0);
    CHECK(ps_folded_option_set(&o, "min", "0.1", &e) == 0);
    CHECK(ps_folded_option_set(&o, "", "0.1", &e) == 0);
    CHECK(o.min_fraction == 0.25);
}

/* Each message as the programs print it after "PROG: ". */
static void test_folded_errors(void)
{
    static const struct {
        const char *name, *value, *msg;
    } bad[] = {
        {"unit", "s", "--unit: 's' is not us, ns or ms"},
        {"min-fraction", "1", "--min-fraction: '1' is not a number from 0 to below 1"},
        {"min-fraction", "x", "--min-fraction: 'x' is not a number from 0 to below 1"},
        {"max-depth", "-1", "--max-depth: '-1' is not a depth (0 for no limit)"},
        {"max-depth", "100000001", "--max-depth: '100000001' is not a depth (0 for no limit)"},
        {"max-repeat", "0", "--max-repeat: '0' is not 1 to 100"},
        {"max-repeat", "101", "--max-repeat: '101' is not 1 to 100"},
        {"width", "199", "--width: '199' is not 200 to 100000 pixels"},
        {"width", "", "--width: '' is not 200 to 100000 pixels"},
        {"unit", NULL, "--unit needs a value"},
        {"title", NULL, "--title needs a value"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        folded_options o, d;
        ps_folded_options_init(&o);
        ps_folded_options_init(&d);
        ps_error e;
        ps_error_clear(&e);
        CHECK(ps_folded_option_set(&o, bad[i].name, bad[i].value, &e) < 0);
        CHECK_STR(e.msg, bad[i].msg);
        CHECK(e.code == PS_EUSAGE);
        CHECK(o.unit == d.unit && o.min_fraction == d.min_fraction &&   /* nothing set */
              o.max_depth == d.max_depth && o.max_repeat == d.max_repeat &&
              o.width == d.width && !o.title);
    }
}

int main(void)
{
    test_callgrind();
    test_folded_values();
    test_folded_errors();
    return TEST_SUMMARY();
}
