/* replay_main.c - a main() for the fuzz targets without libFuzzer: runs
 * LLVMFuzzerTestOneInput once on each file named on the command line (a
 * directory: on each file in it).  `make check` builds every target this way,
 * with the build's sanitizers, to replay tests/fuzz/regress/ (see
 * tests/robust/run.sh); it also reproduces a crash file outside libFuzzer. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* The harness's caps on work per input are off here (fuzz_common.h). */
int fuzz_replay = 1;
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        perror(path);
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    for (size_t k; buf && (k = fread(buf + n, 1, cap - n, fp)) > 0;) {
        n += k;
        if (n == cap) {
            unsigned char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(fp);
    if (!buf) {
        fprintf(stderr, "%s: out of memory\n", path);
        return -1;
    }
    /* An exact-size copy, so ASan sees a read one past the end. */
    unsigned char *exact = malloc(n ? n : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    int runs = 0, errors = 0;
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            DIR *d = opendir(argv[i]);
            if (!d) {
                perror(argv[i]);
                errors++;
                continue;
            }
            char **names = NULL;
            size_t nn = 0;
            for (struct dirent *de; (de = readdir(d));) {
                if (de->d_name[0] == '.')
                    continue;
                char **nv = realloc(names, (nn + 1) * sizeof *nv);
                if (!nv)
                    break;
                names = nv;
                names[nn] = malloc(strlen(argv[i]) + strlen(de->d_name) + 2);
                if (!names[nn])
                    break;
                sprintf(names[nn++], "%s/%s", argv[i], de->d_name);
            }
            closedir(d);
            qsort(names, nn, sizeof *names, cmp);
            for (size_t k = 0; k < nn; k++) {
                if (stat(names[k], &sb) == 0 && S_ISREG(sb.st_mode)) {
                    errors += run_file(names[k]) < 0;
                    runs++;
                }
                free(names[k]);
            }
            free(names);
        } else {
            errors += run_file(argv[i]) < 0;
            runs++;
        }
    }
    printf("replayed %d inputs, %d unreadable\n", runs, errors);
    return errors != 0;
}
