/* A program outside the tree, built against an installed libpstats with
 *   cc prog.c $(pkg-config --cflags --libs --static pstats)
 * by tests/build/run.sh: loads the dumps named on its command line (merged as
 * pstats.Stats(a, b, ...) does) and prints the totals pstats prints. */
#include <pstats/stats.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    ps_stats *s = ps_stats_new();
    ps_error err = {0};
    if (!s)
        return 2;
    for (int i = 1; i < argc; i++)
        if (ps_stats_load_file(s, argv[i], &err) != 0) {
            fprintf(stderr, "prog: %s: %s\n", argv[i], err.msg);
            ps_stats_free(s);
            return 1;
        }
    printf("%u functions, %lld function calls (%lld primitive calls) in %.3f seconds\n",
           s->nfuncs, (long long)s->total_calls, (long long)s->prim_calls, s->total_tt);
    ps_stats_free(s);
    return 0;
}
