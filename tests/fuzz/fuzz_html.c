/* fuzz_html - prof2html's page (include/pstats/html.h, src/output/html.c) fed
 * a fuzzed dump: ps_html_write_fp to /dev/null, the stack estimate capped
 * (FUZZ_STACKS_*, fuzz_common.h) so that one input's work stays bounded; the
 * page must be written whenever the dump loads (no error but the writer's). */
#include "fuzz_common.h"
#include "pstats/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_stats *s = fuzz_load(data, size);
    if (!s)
        return 0;
    if (fuzz_small(s)) {
        ps_html_options o;
        ps_html_options_init(&o);
        fuzz_folded_options(&o.stacks);
        o.title = "fuzz <title> & \"quotes\"";
        o.inputs = size & 1 ? "fuzz.prof" : NULL;
        ps_error e;
        ps_error_clear(&e);
        if (ps_html_write_fp(s, fuzz_devnull(), &o, "/dev/null", &e) < 0)
            fuzz_check_error(&e, SIZE_MAX);
    }
    ps_stats_free(s);
    return 0;
}
