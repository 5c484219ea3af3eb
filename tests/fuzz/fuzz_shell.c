/* fuzz_shell - the browser's command interpreter: ps_shell_new, a small real
 * dump read as at startup, then ps_shell_exec on each line of the input (at
 * most 16 lines, 64 in a replay: bounded work per input), output to /dev/null.
 *
 * The commands that touch files (read, add, dump, export) get their file
 * argument replaced by one of a few fixed names in a private working
 * directory, so a fuzzed line can neither read /dev/zero nor overwrite a
 * source file: a.prof (a cProfile dump), b.prof (a profile.py dump with
 * code-object names and int callers), out.prof (what `dump` wrote) and a
 * missing file; `COMMAND > FILE` writes out.redirect there, and `web`
 * (which would start a browser) becomes `help web`.  The dumps come from FUZZ_SHELL_A / FUZZ_SHELL_B, default
 * data/recur.prof and tests/dumps/recur-profile-3.13.prof (small: each input
 * reads them again) under the current
 * directory; FUZZ_WORKDIR names the working directory (default: a new
 * directory under $TMPDIR, removed at exit). */
#include <ftw.h>
#include <unistd.h>
#include "fuzz_common.h"
#include "pstats/shell.h"

static char workdir[4096];
static int own_workdir;

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    if (!in || !out) {
        fprintf(stderr, "fuzz_shell: cannot copy %s to %s\n", from, to);
        exit(1);
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    fclose(in);
    if (fclose(out) != 0)
        exit(1);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void cleanup(void)
{
    if (own_workdir && workdir[0] && chdir("/") == 0)
        nftw(workdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *a = getenv("FUZZ_SHELL_A"), *b = getenv("FUZZ_SHELL_B");
    char pa[4096], pb[4096];
    if (!realpath(a ? a : "data/recur.prof", pa) ||
        !realpath(b ? b : "tests/dumps/recur-profile-3.13.prof", pb)) {
        fprintf(stderr, "fuzz_shell: run from the repository root (or set FUZZ_SHELL_A/B)\n");
        exit(1);
    }
    const char *wd = getenv("FUZZ_WORKDIR");
    if (wd && *wd) {
        snprintf(workdir, sizeof workdir, "%s", wd);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(workdir, sizeof workdir, "%s/fuzz_shell.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(workdir)) {
            perror("fuzz_shell: mkdtemp");
            exit(1);
        }
        own_workdir = 1;
        atexit(cleanup);
    }
    if (chdir(workdir) != 0) {
        perror("fuzz_shell: chdir");
        exit(1);
    }
    copy_file(pa, "a.prof");
    copy_file(pb, "b.prof");
    return 0;
}

static int is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static int is_ident(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The line as the shell may run it: file arguments replaced (see above). */
static void make_safe(const char *line, char *out, size_t size)
{
    static const char *const inputs[] = {"a.prof", "b.prof", "out.prof", "missing.prof", ""};
    const char *p = line;
    while (is_space((unsigned char)*p))
        p++;
    const char *w = p;
    while (is_ident((unsigned char)*p))
        p++;
    size_t wl = (size_t)(p - w);
    unsigned pick = 0;
    for (const char *q = p; *q; q++)
        pick = pick * 31 + (unsigned char)*q;
    if ((wl == 4 && !memcmp(w, "read", 4)) || (wl == 3 && !memcmp(w, "add", 3))) {
        snprintf(out, size, "%.*s %s", (int)wl, w, inputs[pick % 5]);
    } else if (wl == 4 && !memcmp(w, "dump", 4)) {
        snprintf(out, size, "dump%s", pick % 7 ? " out.prof" : "");
    } else if (wl == 6 && !memcmp(w, "export", 6)) {
        /* export FORMAT FILE [options]: the format and the options are kept
         * when they name no path; FILE is always out.export */
        char copy[4096];
        snprintf(copy, sizeof copy, "%s", p);
        size_t n = (size_t)snprintf(out, size, "export");
        int word = 0;
        for (char *save = NULL, *t = strtok_r(copy, " \t\n\v\f\r", &save); t && n < size;
             t = strtok_r(NULL, " \t\n\v\f\r", &save), word++) {
            if (word == 1)
                t = "out.export";
            else if (strchr(t, '/'))
                continue;
            n += (size_t)snprintf(out + n, size - n, " %s", t);
        }
    } else if (wl == 3 && !memcmp(w, "web", 3)) {
        /* web opens a browser (a process per input): its help instead */
        snprintf(out, size, "help web");
    } else {
        snprintf(out, size, "%s", line);
        /* COMMAND > FILE: the file is always out.redirect, beside the others
         * (a word that starts with '>' is the redirection) */
        for (char *q = out; *q; q++)
            if (*q == '>' && (q == out || *(q - 1) == ' ' || *(q - 1) == '\t')) {
                snprintf(q, size - (size_t)(q - out), "> out.redirect");
                break;
            }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *devnull = fuzz_devnull();
    shell *sh = ps_shell_new(devnull, devnull, "fuzz_shell");
    if (!sh)
        abort();
    ps_shell_read(sh, "a.prof");
    size_t pos = 0;
    int maxlines = &fuzz_replay && fuzz_replay ? 64 : 16;
    for (int lines = 0; pos < size && lines < maxlines; lines++) {
        size_t end = pos;
        while (end < size && data[end] != '\n')
            end++;
        char line[4096], safe[4200];
        size_t n = end - pos < sizeof line - 1 ? end - pos : sizeof line - 1;
        memcpy(line, data + pos, n);
        line[n] = '\0';            /* an embedded NUL ends the line early, as in C */
        pos = end + 1;
        make_safe(line, safe, sizeof safe);
        if (ps_shell_exec(sh, safe))
            break;
    }
    ps_shell_free(sh);
    return 0;
}
