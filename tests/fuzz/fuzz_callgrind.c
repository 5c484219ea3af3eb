/* fuzz_callgrind - the callgrind writer (include/pstats/callgrind.h) fed a
 * fuzzed dump: ps_callgrind_write to /dev/null with recursion kept and dropped. */
#include "fuzz_common.h"
#include "pstats/callgrind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_stats *s = fuzz_load(data, size);
    if (!s)
        return 0;
    if (!fuzz_small(s)) {
        ps_stats_free(s);
        return 0;
    }
    callgrind_options o;
    ps_callgrind_options_init(&o);
    o.cmd = "fuzz.prof";
    for (int rec = 0; rec < 2; rec++) {
        o.recursion = rec ? CALLGRIND_RECURSION_DROP : CALLGRIND_RECURSION_KEEP;
        ps_error e;
        ps_error_clear(&e);
        if (ps_callgrind_write(s, &o, fuzz_devnull(), "/dev/null", &e) < 0)
            fuzz_check_error(&e, SIZE_MAX);
    }
    ps_stats_free(s);
    return 0;
}
