/* fuzz_load - the dump loader (ps_stats_load_buffer; gzip input through
 * ps_marshal_gunzip first), in place and through the direct pass's window
 * of a few bytes (the same outcome, or abort), then the reports:
 * print_stats, print_callers and print_callees, unrestricted and with a
 * count, a fraction and a regular expression, before and after
 * ps_sort_stats, strip_dirs and add. */
#include <string.h>
#include "data/stats_internal.h"
#include "fuzz_common.h"
#include "pstats/report.h"
#include "pstats/select.h"
#include "pstats/sort.h"

static void reports(ps_stats *s, const sel_restriction *r, size_t nr)
{
    FILE *out = fuzz_devnull();
    ps_error e;
    ps_error_clear(&e);
    if (ps_report_print_stats(s, out, r, nr, &e) < 0)
        fuzz_check_error(&e, SIZE_MAX);
    ps_error_clear(&e);
    if (ps_report_print_callers(s, out, r, nr, &e) < 0)
        fuzz_check_error(&e, SIZE_MAX);
    ps_error_clear(&e);
    if (ps_report_print_callees(s, out, r, nr, &e) < 0)
        fuzz_check_error(&e, SIZE_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_stats *s = fuzz_load(data, size);
    ps_load_window = 1 + (size ? data[size / 2] % 64 : 0);
    ps_stats *t = fuzz_load(data, size);
    ps_load_window = 0;
    if (!s != !t || (s && (s->nentries != t->nentries || s->nfuncs != t->nfuncs ||
                           memcmp(&s->total_calls, &t->total_calls, sizeof s->total_calls))))
        abort();
    if (!s)
        return 0;
    sel_restriction r[3];
    ps_sel_parse_term("__init__|<listcomp>|:1\\(", &r[0]);
    ps_sel_parse_term("0.5", &r[1]);
    ps_sel_parse_term("7", &r[2]);

    reports(s, NULL, 0);
    reports(s, r, 3);

    ps_error e;
    ps_error_clear(&e);
    const char *keys[] = {"cumulative", "name"};
    if (ps_sort_stats(s, keys, 2, &e) < 0)
        fuzz_check_error(&e, SIZE_MAX);
    reports(s, r + 1, 2);

    if (t) {
        ps_error_clear(&e);
        if (ps_stats_add(s, t, &e) < 0)
            fuzz_check_error(&e, SIZE_MAX);
        ps_stats_free(t);
    }
    ps_error_clear(&e);
    if (ps_stats_strip_dirs(s, &e) < 0)
        fuzz_check_error(&e, SIZE_MAX);
    const char *tkeys[] = {"time"};
    ps_error_clear(&e);
    if (ps_sort_stats(s, tkeys, 1, &e) < 0)
        fuzz_check_error(&e, SIZE_MAX);
    ps_sort_reverse(s);
    reports(s, r, 1);
    ps_stats_free(s);
    return 0;
}
