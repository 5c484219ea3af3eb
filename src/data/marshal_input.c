/* marshal_input.c - a dump's bytes in memory: a file mapped or read whole
 * (standard input for "-"), gzip-compressed dumps inflated with a bound. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "base/grow.h"
#include "pstats/marshal.h"

/* Files up to this size are read into the heap rather than mapped (see below);
 * bigger buffers would come from mmap'd anonymous memory, faulted in a page at a
 * time, where a file mapping faults sixteen pages at once. */
#define MARSHAL_MAP_MIN ((off_t)64 << 10)

/* Read fd to its end into a malloc'd buffer, starting with room for cap bytes. */
static int read_all(int fd, size_t cap, unsigned char **out, size_t *len, ps_error *e,
                    const char *what)
{
    size_t n = 0;
    unsigned char *buf = malloc(cap);
    if (!buf)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory reading %s", what);
    for (;;) {
        if (ps_grow(&buf, &cap, n + 1, 1) < 0) {   /* full: doubled */
            free(buf);
            return ps_error_set(e, PS_ENOMEM, -1, "out of memory reading %s", what);
        }
        ssize_t k = read(fd, buf + n, cap - n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            free(buf);
            e->sys_errno = err;
            return ps_error_set(e, PS_EIO, -1, "%s", strerror(err));
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    *out = buf;
    *len = n;
    return 0;
}

int ps_marshal_gunzip(const unsigned char *in, size_t inlen, unsigned char **out,
                   size_t *outlen, size_t limit, ps_error *e)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK)   /* +32: accept gzip headers */
        return ps_error_set(e, PS_ENOMEM, -1, "cannot start zlib");
    size_t cap = inlen * 4 + 4096, n = 0;
    unsigned char *buf = malloc(cap);
    if (!buf) {
        inflateEnd(&z);
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory decompressing");
    }
    z.next_in = (unsigned char *)in;
    int rc;
    size_t consumed = 0;
    do {
        if (n == cap) {
            if (cap >= limit) {
                free(buf);
                inflateEnd(&z);
                return ps_error_set(e, PS_EFORMAT, (long long)consumed,
                                    "gzip data expands beyond %zu MiB (more than %zu times "
                                    "its compressed size: not a profile dump)",
                                    limit >> 20, limit / (inlen ? inlen : 1));
            }
            size_t ncap = ps_grow_cap(cap, cap + 1);   /* doubled, up to the limit */
            if (ncap > limit)
                ncap = limit;
            if (ps_resize(&buf, ncap, 1) < 0) {
                free(buf);
                inflateEnd(&z);
                return ps_error_set(e, PS_ENOMEM, -1, "out of memory decompressing");
            }
            cap = ncap;
        }
        size_t avail_in = inlen - consumed;
        z.next_in = (unsigned char *)in + consumed;
        z.avail_in = avail_in > UINT32_MAX ? UINT32_MAX : (uInt)avail_in;
        size_t avail_out = cap - n;
        z.next_out = buf + n;
        z.avail_out = avail_out > UINT32_MAX ? UINT32_MAX : (uInt)avail_out;
        uInt before_in = z.avail_in, before_out = z.avail_out;
        rc = inflate(&z, Z_NO_FLUSH);
        consumed += before_in - z.avail_in;
        n += before_out - z.avail_out;
        if (rc == Z_BUF_ERROR && consumed == inlen && z.avail_out > 0)
            break;   /* input ended before the stream did */
    } while (rc == Z_OK || (rc == Z_BUF_ERROR && n == cap));
    long long at = (long long)consumed;
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(buf);
        if (rc == Z_OK || rc == Z_BUF_ERROR)
            return ps_error_set(e, PS_EFORMAT, at, "truncated gzip data");
        return ps_error_set(e, PS_EFORMAT, at, "corrupt gzip data (%s)",
                            z.msg ? z.msg : "inflate failed");
    }
    *out = buf;
    *outlen = n;
    return 0;
}

int ps_marshal_input_open(marshal_input *in, const char *path, ps_error *e)
{
    memset(in, 0, sizeof *in);
    in->mtime = -1;
    int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        e->sys_errno = errno;
        return ps_error_set(e, PS_EIO, -1, "%s", strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int err = errno;
        if (fd)
            close(fd);
        e->sys_errno = err;
        return ps_error_set(e, PS_EIO, -1, "%s", strerror(err));
    }
    if (S_ISDIR(st.st_mode)) {
        if (fd)
            close(fd);
        e->sys_errno = EISDIR;
        return ps_error_set(e, PS_EIO, -1, "%s", strerror(EISDIR));
    }
    if (fd) {
        in->mtime = (long long)st.st_mtime;
        in->has_mtime = 1;
    }
    int rc = 0;
    /* A small file is read, not mapped: unmapping costs a TLB shoot-down on every
     * core the process has run on, more than copying a few pages (thousands of
     * small loads in the tests and in the fuzzers' inputs; a shell's `read`). */
    if (fd && S_ISREG(st.st_mode) && st.st_size > MARSHAL_MAP_MIN) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
            /* The whole file read ahead at once, in the background: a dump
             * the system has dropped from its cache since it was written
             * (Linux reclaims the page cache of files not used lately) is
             * otherwise read a readahead's worth at a time, each a wait
             * (synth.prof dropped: median 0.19 s -> 0.16 s, 0.15-0.25 ->
             * 0.15-0.17; in the cache: no change).  The dump loader's direct
             * pass then reads the file (load_direct.c), the other readers
             * the mapping. */
            madvise(p, (size_t)st.st_size, MADV_WILLNEED);
            in->data = p;
            in->len = (size_t)st.st_size;
            in->mapped = 1;
            in->fd = fd;   /* (kept open: closed with the mapping) */
        }
    }
    if (!in->data && !in->mapped)
        rc = read_all(fd, S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : (size_t)1 << 16,
                      &in->data, &in->len, e, path);
    if (fd && !in->fd)
        close(fd);
    if (rc < 0)
        return -1;
    if (in->len >= 2 && in->data[0] == 0x1f && in->data[1] == 0x8b) {
        unsigned char *raw;
        size_t rawlen;
        size_t limit = MARSHAL_GUNZIP_FLOOR;
        if (in->len > limit / MARSHAL_GUNZIP_RATIO)
            limit = in->len > MARSHAL_GUNZIP_LIMIT / MARSHAL_GUNZIP_RATIO
                        ? MARSHAL_GUNZIP_LIMIT : in->len * MARSHAL_GUNZIP_RATIO;
        if (ps_marshal_gunzip(in->data, in->len, &raw, &rawlen, limit, e) < 0) {
            ps_marshal_input_close(in);
            return -1;
        }
        ps_marshal_input_close(in);
        in->data = raw;
        in->len = rawlen;
        in->mapped = 0;
        if (fd) {
            in->mtime = (long long)st.st_mtime;
            in->has_mtime = 1;
        }
    }
    return 0;
}

void ps_marshal_input_close(marshal_input *in)
{
    if (in->mapped && in->fd > 0)
        close(in->fd);
    if (in->mapped)
        munmap(in->data, in->len);
    else
        free(in->data);
    in->fd = 0;
    in->data = NULL;
    in->len = 0;
    in->mapped = 0;
}
