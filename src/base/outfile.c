/* outfile.c - output files written atomically: a temporary in the target's
 * directory renamed into place on commit, removed on abort (export.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pstats/export.h"

/* Defined by the programs that remove temporaries on a signal (export.h). */
#pragma weak export_tmp_created
#pragma weak export_tmp_gone

static void tmp_created(const char *tmp)
{
    if (export_tmp_created)
        export_tmp_created(tmp);
}

static void tmp_gone(const char *tmp)
{
    if (export_tmp_gone)
        export_tmp_gone(tmp);
}

static int io_error(ps_error *e, const char *what, const char *path)
{
    int err = errno;
    e->sys_errno = err;
    return ps_error_set(e, PS_EIO, -1, "cannot %s %s: %s", what, path, strerror(err));
}

int ps_export_file_open(export_file *f, const char *path, ps_error *e)
{
    memset(f, 0, sizeof *f);
    if (strcmp(path, "-") == 0) {
        f->fp = stdout;
        f->is_stdout = 1;
        return 0;
    }
    /* A device, FIFO or socket (-o /dev/null, /dev/stdout, a named pipe) is
     * written in place: renaming a temporary over it would replace the
     * device node itself with a regular file. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            errno = EISDIR;
            return io_error(e, "write", path);
        }
        f->path = strdup(path);
        if (!f->path)
            return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        f->fp = fopen(path, "wb");
        if (!f->fp) {
            io_error(e, "open", path);
            free(f->path);
            f->path = NULL;
            return -1;
        }
        return 0;
    }
    /* Through a symbolic link to a file, the file is replaced, not the link. */
    char *real = NULL;
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && (real = realpath(path, NULL)))
        path = real;
    f->path = strdup(path);
    free(real);
    path = f->path;
    if (!path)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    /* The temporary sits beside the target so rename() is atomic. */
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    f->tmp = malloc(strlen(path) + 32);
    if (!f->tmp) {
        free(f->path);
        f->path = NULL;
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    }
    sprintf(f->tmp, "%.*s.%s.tmpXXXXXX", (int)dirlen, path, path + dirlen);
    /* No interrupting signal between creating the temporary and handing its
     * name to the program: its handler would not know to remove it. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int fd = mkstemp(f->tmp);
    int mkstemp_errno = errno;
    if (fd >= 0)
        tmp_created(f->tmp);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        errno = mkstemp_errno;
        io_error(e, "create a temporary file for", path);
        free(f->path);
        free(f->tmp);
        f->path = f->tmp = NULL;
        return -1;
    }
    /* Keep the permissions a plain create would have given. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    f->fp = fdopen(fd, "wb");
    if (!f->fp) {
        io_error(e, "open", f->tmp);
        close(fd);
        unlink(f->tmp);
        tmp_gone(f->tmp);
        free(f->path);
        free(f->tmp);
        f->path = f->tmp = NULL;
        return -1;
    }
    return 0;
}

int ps_export_file_commit(export_file *f, ps_error *e)
{
    if (f->is_stdout) {
        if (fflush(stdout) != 0)
            return io_error(e, "write", "standard output");
        return 0;
    }
    int rc = 0;
    if (!f->tmp) {   /* a device or FIFO, written in place */
        if (fflush(f->fp) != 0 || ferror(f->fp))
            rc = io_error(e, "write", f->path);
        if (fclose(f->fp) != 0 && rc == 0)
            rc = io_error(e, "write", f->path);
        free(f->path);
        memset(f, 0, sizeof *f);
        return rc;
    }
    if (fflush(f->fp) != 0 || ferror(f->fp) || fsync(fileno(f->fp)) != 0)
        rc = io_error(e, "write", f->path);
    if (fclose(f->fp) != 0 && rc == 0)
        rc = io_error(e, "write", f->path);
    f->fp = NULL;
    if (rc == 0 && rename(f->tmp, f->path) != 0)
        rc = io_error(e, "rename the temporary file to", f->path);
    if (rc != 0)
        unlink(f->tmp);
    tmp_gone(f->tmp);
    free(f->tmp);
    free(f->path);
    f->tmp = f->path = NULL;
    return rc;
}

void ps_export_file_abort(export_file *f)
{
    if (f->is_stdout) {
        fflush(stdout);
        return;
    }
    if (f->fp)
        fclose(f->fp);
    if (f->tmp) {
        unlink(f->tmp);
        tmp_gone(f->tmp);
    }
    free(f->tmp);
    free(f->path);
    memset(f, 0, sizeof *f);
}
