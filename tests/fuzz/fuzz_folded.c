/* fuzz_folded - the folded-stacks exporter (include/pstats/folded.h) fed a
 * fuzzed dump: ps_folded_build forward and inverted, ps_folded_write_text and
 * ps_folded_write_svg to /dev/null. */
#include "fuzz_common.h"
#include "pstats/folded.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_stats *s = fuzz_load(data, size);
    if (!s)
        return 0;
    for (int inverted = 0; inverted < 2; inverted++) {
        folded_options o;
        ps_folded_options_init(&o);
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
    ps_stats_free(s);
    return 0;
}
