/* fuzz_sampled - the text importers of sampled profiles (include/pstats/sampled.h):
 * the first byte picks the format (folded, Austin, plop) and the options
 * (threads, lines), the rest is the file.  A profile that loads is then
 * added to itself (the stacks rebuilt together), its exact stacks written as
 * folded lines, and its directories stripped: every step keeps the error
 * contract of fuzz_common.h. */
#include "fuzz_common.h"
#include "pstats/folded.h"
#include "pstats/sampled.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const int fmts[3] = {PS_FMT_FOLDED, PS_FMT_AUSTIN, PS_FMT_PLOP};
    int fmt = fmts[data[0] % 3];
    ps_sample_options o;
    ps_sample_options_init(&o);
    o.threads = (data[0] >> 2) & 1;
    o.lines = (data[0] >> 3) & 1;
    if ((data[0] >> 4) & 1)
        o.interval = 1e-6;
    ps_stats *s = ps_stats_new(), *t = ps_stats_new();
    if (!s || !t)
        abort();
    ps_error e;
    ps_error_clear(&e);
    if (ps_import_text(s, fmt, data + 1, size - 1, &o, "fuzz", &e) < 0) {
        fuzz_check_error(&e, size);
        if (e.code != PS_EDATA && e.code != PS_EEMPTY && e.code != PS_ENOMEM)
            fuzz_fail("an importer's error is not PS_EDATA/PS_EEMPTY", &e);
        if (strncmp(e.msg, "line ", 5) != 0 && e.code == PS_EDATA)
            fuzz_fail("a data error does not name its line", &e);
        goto out;
    }
    if (!s->stacks || !s->sampled || !s->nentries)
        fuzz_fail("a loaded sampled profile without stacks or entries", &e);
    double total = ps_stacks_total(s->stacks);
    if (ps_import_text(t, fmt, data + 1, size - 1, &o, "fuzz", &e) < 0)
        fuzz_fail("the same input failed the second time", &e);
    if (ps_stats_add(s, t, &e) < 0) {
        fuzz_check_error(&e, SIZE_MAX);
        goto out;
    }
    double twice = ps_stacks_total(s->stacks);
    if (!(twice >= total * 2 * (1 - 1e-9) - 1e-300 && twice <= total * 2 * (1 + 1e-9) + 1e-300))
        fuzz_fail("adding a profile to itself does not double its stacks' weight", &e);
    folded_stacks fs;
    if (ps_folded_from_stacks(s, s->stacks, NULL, &fs, &e) < 0) {
        fuzz_check_error(&e, SIZE_MAX);
        goto out;
    }
    ps_error_clear(&e);
    if (ps_folded_write_text(&fs, fuzz_devnull(), "/dev/null", &e) < 0)
        fuzz_check_error(&e, SIZE_MAX);
    ps_folded_free(&fs);
    if (ps_stats_strip_dirs(s, &e) < 0)
        fuzz_check_error(&e, SIZE_MAX);
out:
    ps_stats_free(s);
    ps_stats_free(t);
    return 0;
}
