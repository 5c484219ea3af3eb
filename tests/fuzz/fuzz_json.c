/* fuzz_json - the JSON importers (speedscope files, pyinstrument sessions:
 * src/import_json.c through ps_import_text) fed fuzzed bytes, threads merged
 * and kept; what loads is written back as speedscope and pprof (the writers
 * meet whatever names and stacks an importer lets through). */
#include "fuzz_common.h"
#include "pstats/pprof.h"
#include "pstats/sampled.h"
#include "pstats/speedscope.h"

static void one(const uint8_t *data, size_t size, int fmt, int threads)
{
    ps_sample_options o;
    ps_sample_options_init(&o);
    o.threads = threads;
    ps_stats *s = ps_stats_new();
    if (!s)
        abort();
    ps_error e;
    ps_error_clear(&e);
    if (ps_import_text(s, fmt, data, size, &o, "fuzz.json", &e) < 0) {
        fuzz_check_error(&e, size);
        ps_stats_free(s);
        return;
    }
    ps_stacks st;
    ps_error_clear(&e);
    if (ps_stacks_of(s, NULL, &st, &e) < 0) {
        fuzz_check_error(&e, SIZE_MAX);
    } else {
        ps_error_clear(&e);
        if (ps_speedscope_write(s, &st, NULL, fuzz_devnull(), "/dev/null", &e) < 0)
            fuzz_check_error(&e, SIZE_MAX);
        ps_error_clear(&e);
        if (ps_pprof_write(s, &st, fuzz_devnull(), "/dev/null", &e) < 0)
            fuzz_check_error(&e, SIZE_MAX);
        ps_stacks_free(&st);
    }
    ps_stats_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int threads = 0; threads < 2; threads++) {
        one(data, size, PS_FMT_SPEEDSCOPE, threads);
        one(data, size, PS_FMT_PYINSTRUMENT, threads);
    }
    return 0;
}
