/* fuzz_diff - profdiff's comparison (include/pstats/diff.h: src/analysis/diff.c,
 * src/output/diff_write.c) and prof2folded --diff (folded_diff.h) fed two
 * fuzzed dumps.  Input: one byte of options (match, sort, normalize,
 * strip_dirs, the gates), two bytes giving BASE's length (little-endian,
 * clamped to what is there), BASE, then NEW.  Both are loaded as the
 * programs load them; the diff is written as text, markdown and JSON, and
 * the differential folded lines and SVG to /dev/null.  Bounded work: the
 * flame graph's estimate is capped (FUZZ_STACKS_*, fuzz_common.h). */
#include "fuzz_common.h"
#include "pstats/diff.h"
#include "pstats/folded_diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    unsigned opt = data[0];
    size_t blen = (size_t)data[1] | (size_t)data[2] << 8;
    data += 3;
    size -= 3;
    if (blen > size)
        blen = size;
    ps_stats *base = fuzz_load(data, blen), *new = fuzz_load(data + blen, size - blen);
    if (!base || !new || !fuzz_small(base) || !fuzz_small(new))
        goto out;

    /* The flame graph first: ps_diff_build with strip_dirs strips both in place. */
    folded_options fo;
    fuzz_folded_options(&fo);
    fo.svg = (opt >> 7) & 1;
    fo.unit = size & 1 ? FOLDED_UNIT_NS : FOLDED_UNIT_US;   /* the finest unit overflows first */
    ps_error e;
    ps_error_clear(&e);
    if (ps_folded_diff_write(base, new, &fo, fuzz_devnull(), "/dev/null", &e) < 0)
        fuzz_check_error(&e, SIZE_MAX);

    ps_diff_options o;
    ps_diff_options_init(&o);
    o.match = opt & 1 ? PS_DIFF_MATCH_EXACT : PS_DIFF_MATCH_NAME;
    o.sort = (int)((opt >> 1) % 3);
    o.normalize = (opt >> 3) & 1;
    o.strip_dirs = (opt >> 4) & 1;
    if ((opt >> 5) & 1) {
        o.fail_above = 5;
        o.fail_function_above = 1;
        o.min_time = 1e-6;
    }
    ps_diff d;
    ps_error_clear(&e);
    if (ps_diff_build(base, new, &o, &d, &e) < 0) {
        fuzz_check_error(&e, SIZE_MAX);
        goto out;
    }
    if (d.nrows < d.nmatched || d.nadded + d.nremoved + d.nmatched != d.nrows)
        fuzz_fail("the rows do not add up (matched + added + removed)", &e);
    sel_restriction r[2];
    ps_sel_parse_term((opt >> 6) & 1 ? "0.5" : "__init__|:1\\(", &r[0]);
    ps_sel_parse_term("7", &r[1]);
    for (int fmt = PS_DIFF_TEXT; fmt <= PS_DIFF_JSON; fmt++) {
        ps_error_clear(&e);
        if (ps_diff_write(&d, fmt, r, 2, fuzz_devnull(), "/dev/null", &e) < 0)
            fuzz_check_error(&e, SIZE_MAX);
    }
    ps_diff_free(&d);
out:
    ps_stats_free(base);
    ps_stats_free(new);
    return 0;
}
