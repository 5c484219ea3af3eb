/* fuzz_export - the dump writer fed a fuzzed dump: ps_export_marshal (marshal
 * versions 4 and 2), ps_export_write_marshal (plain and gzip) to /dev/null, and
 * ps_export_dump to a file in a private directory; every dump written must load
 * again (what we write, we read), with no more entries than were written. */
#include <ftw.h>
#include <unistd.h>
#include "fuzz_common.h"
#include "pstats/export.h"

static char outpath[4200];
static char workdir[4096];

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void cleanup(void)
{
    if (workdir[0])
        nftw(workdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *wd = getenv("FUZZ_WORKDIR");
    if (wd && *wd) {
        snprintf(outpath, sizeof outpath, "%s/export.prof", wd);
        return 0;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(workdir, sizeof workdir, "%s/fuzz_export.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(workdir)) {
        perror("fuzz_export: mkdtemp");
        exit(1);
    }
    atexit(cleanup);
    snprintf(outpath, sizeof outpath, "%s/export.prof", workdir);
    return 0;
}

static void reload(const ps_stats *s, const unsigned char *buf, size_t len)
{
    ps_stats *t = fuzz_load(buf, len);
    if (!t) {
        fprintf(stderr, "fuzz_export: a dump we wrote does not load again\n");
        abort();
    }
    if (t->nentries > s->nentries)
        abort();
    ps_stats_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!outpath[0])
        LLVMFuzzerInitialize(NULL, NULL);
    ps_stats *s = fuzz_load(data, size);
    if (!s)
        return 0;
    ps_error e;
    for (int version = 2; version <= 4; version += 2) {
        marshal_writer w;
        ps_error_clear(&e);
        if (ps_export_marshal(s, version, &w, &e) < 0) {
            fuzz_check_error(&e, SIZE_MAX);
            continue;
        }
        reload(s, w.buf, w.len);
        for (int gz = 0; gz < 2; gz++) {
            ps_error_clear(&e);
            if (ps_export_write_marshal(fuzz_devnull(), &w, gz, &e) < 0)
                fuzz_check_error(&e, SIZE_MAX);
        }
        ps_marshal_writer_free(&w);
    }
    int gz = size && (data[size - 1] & 1);
    ps_error_clear(&e);
    if (ps_export_dump(s, outpath, 4, gz, &e) < 0) {
        fuzz_check_error(&e, SIZE_MAX);
    } else {
        ps_stats *t = ps_stats_new();
        ps_error_clear(&e);
        if (!t || ps_stats_load_file(t, outpath, &e) < 0) {
            fprintf(stderr, "fuzz_export: ps_export_dump's file does not load: %s\n", e.msg);
            abort();
        }
        ps_stats_free(t);
    }
    ps_stats_free(s);
    return 0;
}
