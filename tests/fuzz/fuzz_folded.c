/* fuzz_folded - the stack exporters fed a fuzzed dump: ps_folded_build
 * forward and inverted, ps_folded_write_text and ps_folded_write_svg, then
 * the estimated stacks (ps_stacks_of) as speedscope and pprof, all to
 * /dev/null.  The estimate is capped (FUZZ_STACKS_*, fuzz_common.h). */
#include "fuzz_common.h"
#include "pstats/folded.h"
#include "pstats/pprof.h"
#include "pstats/speedscope.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_stats *s = fuzz_load(data, size);
    if (!s)
        return 0;
    if (!fuzz_small(s))
        goto out;
    for (int inverted = 0; inverted < 2; inverted++) {
        folded_options o;
        fuzz_folded_options(&o);
        o.inverted = inverted;
        o.unit = inverted ? FOLDED_UNIT_NS : FOLDED_UNIT_US;
        folded_stacks fs;
        ps_error e;
        ps_error_clear(&e);
        if (ps_folded_build(s, &o, &fs, &e) < 0) {
            fuzz_check_error(&e, SIZE_MAX);
            continue;
        }
        ps_error_clear(&e);
        if (ps_folded_write_text(&fs, fuzz_devnull(), "/dev/null", &e) < 0)
            fuzz_check_error(&e, SIZE_MAX);
        o.svg = 1;
        ps_error_clear(&e);
        if (ps_folded_write_svg(&fs, &o, fuzz_devnull(), "/dev/null", &e) < 0)
            fuzz_check_error(&e, SIZE_MAX);
        ps_folded_free(&fs);
    }
    folded_options o;
    fuzz_folded_options(&o);
    ps_stacks st;
    ps_error e;
    ps_error_clear(&e);
    if (ps_stacks_of(s, &o, &st, &e) < 0) {
        fuzz_check_error(&e, SIZE_MAX);
        goto out;
    }
    ps_error_clear(&e);
    if (ps_speedscope_write(s, &st, size & 1 ? "fuzz" : NULL, fuzz_devnull(), "/dev/null", &e) < 0)
        fuzz_check_error(&e, SIZE_MAX);
    ps_error_clear(&e);
    if (ps_pprof_write(s, &st, fuzz_devnull(), "/dev/null", &e) < 0)
        fuzz_check_error(&e, SIZE_MAX);
    ps_stacks_free(&st);
out:
    ps_stats_free(s);
    return 0;
}
