/* import_json.c - the JSON importers: speedscope files and pyinstrument
 * sessions (.pyisession), read with jansson into the sample builder.
 *
 * speedscope (its published file-format schema): `shared.frames` is the
 * frame table ({name, file?, line?, col?}); `profiles` holds `sampled`
 * profiles (samples: frame-index lists, root first; weights; unit) and
 * `evented` ones (O/C events on frames at times `at`: the time between two
 * events belongs to the stack open then).  Several profiles are threads:
 * merged, or under a root frame each with options.threads.  Weights in a time
 * unit become seconds; in `none` or `bytes` they are sample counts, times the
 * interval.  A frame's line is the line being executed (py-spy writes it so),
 * except in our own files (exporter "pstats toolkit"), where it is the
 * function's first line: then a round trip keeps (file, line, name).
 *
 * pyinstrument: `frame_records` is a list of [stack, seconds], each stack a
 * list of frame strings, root first: "function\0file\0first_line" followed by
 * attributes each introduced by \x01 (class name, executing line, tracebackhide),
 * which do not change which function a frame is.  The root frame
 * "name\0<thread>\0ident" stands for a thread: dropped (threads merged), or
 * kept as the thread's root frame with options.threads.
 *
 * Errors: malformed JSON at jansson's byte position; wrong shapes and values
 * with the JSON path where they are ("profiles[0].samples[3][1]: expected a
 * frame index below 12") and no offset (a parsed value has no position). */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "import_json.h"
#include "json_scan.h"
#include "sampled_int.h"

/* The error's message prefixed with a JSON path (printf-style). */
static int at(ps_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int at(ps_error *e, const char *fmt, ...)
{
    char msg[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    int h = vsnprintf(msg, 128, fmt, ap);
    va_end(ap);
    size_t used = h < 0 ? 0 : (size_t)h < 126 ? (size_t)h : 126;
    memcpy(msg + used, ": ", 2);
    used += 2;
    size_t n = strnlen(e->msg, sizeof msg - used - 1);
    memmove(msg + used, e->msg, n);
    msg[used + n] = 0;
    memcpy(e->msg, msg, sizeof msg);
    e->offset = -1;
    return -1;
}

static int expected(ps_error *e, const char *what)
{
    return ps_error_set(e, PS_EDATA, -1, "expected %s", what);
}

static json_t *load(const unsigned char *buf, size_t len, const char *what, ps_error *e)
{
    json_error_t je;
    /* JSON_ALLOW_NUL: pyinstrument's frames hold \u0000 separators. */
    json_t *root = json_loadb((const char *)buf, len, JSON_ALLOW_NUL, &je);
    if (!root) {
        ps_error_set(e, PS_EFORMAT, je.position >= 0 && (size_t)je.position <= len ? je.position : -1,
                     "expected %s (JSON): %s", what, je.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        ps_error_set(e, PS_EDATA, -1, "expected a JSON object (%s)", what);
        return NULL;
    }
    return root;
}

/* A JSON number as an int64 line (0 when absent or not a whole number in range). */
static int64_t line_of(const json_t *v)
{
    double d = json_is_integer(v) ? (double)json_integer_value(v) : json_is_real(v) ? json_real_value(v) : 0;
    if (!(d >= 0 && d < 9e18) || d != floor(d))
        return 0;
    return (int64_t)d;
}

static double number(const json_t *v)
{
    return json_is_integer(v) ? (double)json_integer_value(v) : json_real_value(v);
}

/* ---- speedscope ------------------------------------------------------------------ */

typedef struct ss_ctx {
    ps_sample_builder *b;
    const ps_sample_options *o;
    const json_t *frames; /* shared.frames */
    uint32_t *ids;        /* builder id of each shared frame, UINT32_MAX until used */
    size_t nframes;
    int ours;             /* our own file: lines are first lines */
    ps_idbuf stack;
    const unsigned char *buf;   /* the text, for the sample arrays read from it */
    const ss_scan *sc;
} ss_ctx;

/* unit -> seconds per unit; 0 for the count units (none, bytes); -1 unknown */
static double unit_scale(const char *u)
{
    static const struct { const char *name; double scale; } U[] = {
        {"seconds", 1}, {"milliseconds", 1e-3}, {"microseconds", 1e-6}, {"nanoseconds", 1e-9},
        {"none", 0}, {"bytes", 0},
    };
    for (size_t i = 0; i < sizeof U / sizeof *U; i++)
        if (!strcmp(u, U[i].name))
            return U[i].scale;
    return -1;
}

/* The builder's id of shared frame i, made when a sample first uses it (a
 * frame no sample uses is no function of the profile).  A frame without a
 * file is a builtin, as pstats writes them: file '~', line 0. */
static int frame_id(ss_ctx *c, size_t i, ps_error *e)
{
    const json_t *f = json_array_get(c->frames, i);
    const json_t *name = json_object_get(f, "name"), *file = json_object_get(f, "file");
    if (!json_is_string(name) || (file && !json_is_string(file)))
        return expected(e, "a frame {\"name\": string, \"file\"?: string, \"line\"?: number}"),
               at(e, "shared.frames[%zu]", i);
    ps_frame fr = {file ? json_string_value(file) : "~", file ? json_string_length(file) : 1,
                   json_string_value(name), json_string_length(name),
                   file ? line_of(json_object_get(f, "line")) : 0, c->ours};
    c->ids[i] = ps_sample_func(c->b, &fr, e);
    return c->ids[i] == UINT32_MAX ? at(e, "shared.frames[%zu]", i) : 0;
}

static int frame_at(ss_ctx *c, uint64_t i, uint32_t *id, ps_error *e)
{
    if (i >= c->nframes) {
        ps_error_set(e, PS_EDATA, -1, "expected a frame index below %zu", c->nframes);
        return -1;
    }
    if (c->ids[i] == UINT32_MAX && frame_id(c, (size_t)i, e) < 0)
        return -1;
    *id = c->ids[i];
    return 0;
}

static int frame_index(ss_ctx *c, const json_t *v, uint32_t *id, ps_error *e)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return frame_at(c, UINT64_MAX, id, e);
    return frame_at(c, (uint64_t)json_integer_value(v), id, e);
}

/* One sample of `value` in the profile's unit over the stack in c->stack. */
static int ss_add(ss_ctx *c, double value, double scale, ps_error *e)
{
    if (!isfinite(value) || value < 0)
        return ps_error_set(e, PS_EDATA, -1, "expected a weight >= 0");
    double seconds = scale > 0 ? value * scale : value * c->o->interval;
    int64_t count = 1;
    if (scale == 0)   /* a count of samples (or bytes): saturated as the loader saturates */
        count = ps_count_round(value);
    return ps_sample_add_ids(c->b, c->stack.ids, c->stack.n, seconds, count, e);
}

/* A sampled profile whose arrays the scan took out of jansson's tree
 * (json_scan.h): the same checks and messages, read from the text. */
static int ss_sampled_text(ss_ctx *c, const ss_raw *r, size_t pi, size_t base, double scale,
                           ps_error *e)
{
    if (r->weights.count != r->samples.count)
        return expected(e, "an array \"weights\" as long as \"samples\""), at(e, "profiles[%zu]", pi);
    size_t sp = r->samples.at, wp = r->weights.at;
    for (size_t i = 0; ps_ss_next_sample(c->buf, &sp); i++) {
        c->stack.n = base;
        uint64_t v;
        for (size_t j = 0; ps_ss_next_index(c->buf, &sp, &v); j++) {
            uint32_t id;
            if (frame_at(c, v, &id, e) < 0)
                return at(e, "profiles[%zu].samples[%zu][%zu]", pi, i, j);
            if (ps_idbuf_push(&c->stack, id) < 0)
                return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        }
        double w;
        ps_ss_next_weight(c->buf, &wp, &w);
        /* a sample of thread root only is idle */
        if (c->stack.n == base)
            c->stack.n = 0;
        if (ss_add(c, w, scale, e) < 0)
            return at(e, "profiles[%zu].weights[%zu]", pi, i);
    }
    return 0;
}

static int ss_sampled(ss_ctx *c, const json_t *p, size_t pi, size_t base, double scale,
                      ps_error *e)
{
    if (c->sc && pi < c->sc->nprof && c->sc->prof[pi].found)
        return ss_sampled_text(c, &c->sc->prof[pi], pi, base, scale, e);
    const json_t *samples = json_object_get(p, "samples"), *weights = json_object_get(p, "weights");
    if (!json_is_array(samples))
        return expected(e, "an array \"samples\""), at(e, "profiles[%zu]", pi);
    if (!json_is_array(weights) || json_array_size(weights) != json_array_size(samples))
        return expected(e, "an array \"weights\" as long as \"samples\""), at(e, "profiles[%zu]", pi);
    for (size_t i = 0; i < json_array_size(samples); i++) {
        const json_t *s = json_array_get(samples, i), *w = json_array_get(weights, i);
        if (!json_is_array(s))
            return expected(e, "an array of frame indices"), at(e, "profiles[%zu].samples[%zu]", pi, i);
        c->stack.n = base;
        for (size_t j = 0; j < json_array_size(s); j++) {
            uint32_t id;
            if (frame_index(c, json_array_get(s, j), &id, e) < 0)
                return at(e, "profiles[%zu].samples[%zu][%zu]", pi, i, j);
            if (ps_idbuf_push(&c->stack, id) < 0)
                return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        }
        if (!json_is_number(w))
            return expected(e, "a number"), at(e, "profiles[%zu].weights[%zu]", pi, i);
        /* a sample of thread root only is idle */
        if (c->stack.n == base)
            c->stack.n = 0;
        if (ss_add(c, number(w), scale, e) < 0)
            return at(e, "profiles[%zu].weights[%zu]", pi, i);
    }
    return 0;
}

static int ss_evented(ss_ctx *c, const json_t *p, size_t pi, size_t base, double scale,
                      ps_error *e)
{
    const json_t *events = json_object_get(p, "events");
    if (!json_is_array(events))
        return expected(e, "an array \"events\""), at(e, "profiles[%zu]", pi);
    c->stack.n = base;
    double prev = 0;
    for (size_t i = 0; i < json_array_size(events); i++) {
        const json_t *ev = json_array_get(events, i);
        const char *type = json_string_value(json_object_get(ev, "type"));
        const json_t *when = json_object_get(ev, "at");
        if (!json_is_object(ev) || !type || (strcmp(type, "O") && strcmp(type, "C")) ||
            !json_is_number(when))
            return expected(e, "an event {\"type\": \"O\" or \"C\", \"frame\", \"at\"}"),
                   at(e, "profiles[%zu].events[%zu]", pi, i);
        uint32_t id;
        if (frame_index(c, json_object_get(ev, "frame"), &id, e) < 0)
            return at(e, "profiles[%zu].events[%zu].frame", pi, i);
        double t = number(when);
        if (i && !(t >= prev))
            return ps_error_set(e, PS_EDATA, -1, "expected events in time order (at %g after %g)",
                                t, prev), at(e, "profiles[%zu].events[%zu]", pi, i);
        /* the time since the last event belongs to the stack open then */
        if (i && t > prev && c->stack.n > base) {
            size_t n = c->stack.n;
            if (ss_add(c, t - prev, scale, e) < 0)
                return at(e, "profiles[%zu].events[%zu]", pi, i);
            c->stack.n = n;
        }
        prev = t;
        if (type[0] == 'O') {
            if (ps_idbuf_push(&c->stack, id) < 0)
                return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        } else {
            if (c->stack.n == base || c->stack.ids[c->stack.n - 1] != id)
                return ps_error_set(e, PS_EDATA, -1, "expected to close the frame opened last"),
                       at(e, "profiles[%zu].events[%zu]", pi, i);
            c->stack.n--;
        }
    }
    if (c->stack.n != base)
        return ps_error_set(e, PS_EDATA, -1, "expected every opened frame to be closed"),
               at(e, "profiles[%zu].events", pi);
    return 0;
}

int ps_speedscope_import(ps_sample_builder *b, const unsigned char *buf, size_t len,
                         const ps_sample_options *o, ps_error *e)
{
    ss_scan sc;
    if (ps_ss_scan_text(buf, len, &sc) < 0)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    json_t *root = NULL;
    if (sc.nskip) {
        ss_feed feed;
        ps_ss_feed_init(&feed, buf, len, &sc);
        json_error_t je;
        root = json_load_callback(ps_ss_feed_read, &feed, JSON_ALLOW_NUL, &je);
        if (!root || !json_is_object(root)) {
            /* the error as the whole text gives it (its byte offset) */
            json_decref(root);
            root = NULL;
            ps_ss_scan_free(&sc);
        }
    }
    if (!root && !(root = load(buf, len, "a speedscope file", e))) {
        ps_ss_scan_free(&sc);
        return -1;
    }
    ss_ctx c = {b, o, NULL, NULL, 0, 0, {0}, buf, &sc};
    int rc = -1;
    const json_t *frames = json_object_get(json_object_get(root, "shared"), "frames");
    const json_t *profiles = json_object_get(root, "profiles");
    const char *exporter = json_string_value(json_object_get(root, "exporter"));
    c.ours = exporter && !strncmp(exporter, "pstats toolkit", 14);
    c.frames = frames;
    if (!json_is_array(frames)) {
        expected(e, "an array \"frames\" in \"shared\" (a speedscope file)");
        goto out;
    }
    if (!json_is_array(profiles)) {
        expected(e, "an array \"profiles\" (a speedscope file)");
        goto out;
    }
    c.nframes = json_array_size(frames);
    c.ids = malloc((c.nframes ? c.nframes : 1) * sizeof *c.ids);
    if (!c.ids) {
        ps_error_set(e, PS_ENOMEM, -1, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < c.nframes; i++)
        c.ids[i] = UINT32_MAX;
    size_t nprof = json_array_size(profiles);
    for (size_t pi = 0; pi < nprof; pi++) {
        const json_t *p = json_array_get(profiles, pi);
        const char *type = json_string_value(json_object_get(p, "type"));
        const char *unit = json_string_value(json_object_get(p, "unit"));
        double scale = unit ? unit_scale(unit) : -1;
        if (!json_is_object(p) || !type || (strcmp(type, "sampled") && strcmp(type, "evented"))) {
            expected(e, "a profile of type \"sampled\" or \"evented\"");
            at(e, "profiles[%zu]", pi);
            goto out;
        }
        if (scale < 0) {
            expected(e, "a unit: seconds, milliseconds, microseconds, nanoseconds, none or bytes");
            at(e, "profiles[%zu].unit", pi);
            goto out;
        }
        c.stack.n = 0;
        if (o->threads) {   /* a root frame per profile: its name, or its index */
            const json_t *pname = json_object_get(p, "name");
            char idbuf[32], framebuf[256];
            const char *id = json_string_value(pname);
            size_t idlen = id ? json_string_length(pname) : 0;
            if (!id) {
                idlen = (size_t)snprintf(idbuf, sizeof idbuf, "%zu", pi);
                id = idbuf;
            }
            ps_frame tf = ps_thread_frame(framebuf, sizeof framebuf, id, idlen);
            uint32_t tid = ps_sample_func(b, &tf, e);
            if (tid == UINT32_MAX || ps_idbuf_push(&c.stack, tid) < 0) {
                if (tid != UINT32_MAX)
                    ps_error_set(e, PS_ENOMEM, -1, "out of memory");
                goto out;
            }
        }
        size_t base = c.stack.n;
        if ((type[0] == 's' ? ss_sampled(&c, p, pi, base, scale, e)
                            : ss_evented(&c, p, pi, base, scale, e)) < 0)
            goto out;
    }
    rc = 0;
out:
    free(c.ids);
    free(c.stack.ids);
    json_decref(root);
    ps_ss_scan_free(&sc);
    return rc;
}

/* ---- pyinstrument ------------------------------------------------------------------- */

/* "function\0file\0first_line" (the identifier: up to the first \x01) as a
 * frame; -1 when it is not one. */
static int pyi_frame(const char *s, size_t n, ps_frame *f)
{
    const char *attr = memchr(s, '\x01', n);
    if (attr)
        n = (size_t)(attr - s);
    const char *z1 = memchr(s, 0, n);
    if (!z1)
        return -1;
    const char *file = z1 + 1;
    const char *z2 = memchr(file, 0, n - (size_t)(file - s));
    if (!z2)
        return -1;
    const char *ln = z2 + 1, *end = s + n;
    int64_t line = 0;
    if (ln == end)
        return -1;
    for (const char *p = ln; p < end; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        line = line > (INT64_MAX - 9) / 10 ? INT64_MAX : line * 10 + (*p - '0');
    }
    *f = (ps_frame){file, (size_t)(z2 - file), s, (size_t)(z1 - s), line, 1};
    return 0;
}

int ps_pyinstrument_import(ps_sample_builder *b, const unsigned char *buf, size_t len,
                           const ps_sample_options *o, ps_error *e)
{
    json_t *root = load(buf, len, "a pyinstrument session", e);
    if (!root)
        return -1;
    int rc = -1;
    ps_idbuf stack = {0};
    ps_frame_cache cache;
    ps_frame_cache_init(&cache, 0);
    const json_t *records = json_object_get(root, "frame_records");
    if (!json_is_array(records)) {
        expected(e, "an array \"frame_records\" (a pyinstrument session)");
        goto out;
    }
    for (size_t i = 0; i < json_array_size(records); i++) {
        const json_t *r = json_array_get(records, i);
        const json_t *frames = json_array_get(r, 0), *t = json_array_get(r, 1);
        if (!json_is_array(r) || json_array_size(r) != 2 || !json_is_array(frames) ||
            !json_is_number(t)) {
            expected(e, "a record [stack, seconds]");
            at(e, "frame_records[%zu]", i);
            goto out;
        }
        stack.n = 0;
        for (size_t j = 0; j < json_array_size(frames); j++) {
            const json_t *fs = json_array_get(frames, j);
            const char *s = json_string_value(fs);
            size_t n = s ? json_string_length(fs) : 0;
            ps_frame f;
            if (!s || pyi_frame(s, n, &f) < 0) {
                expected(e, "a frame \"function\\u0000file\\u0000first_line\"");
                at(e, "frame_records[%zu][0][%zu]", i, j);
                goto out;
            }
            int thread = j == 0 && f.flen == 8 && !memcmp(f.file, "<thread>", 8);
            if (thread && !o->threads)
                continue;
            /* the cache keys on the identifier: attributes do not change the function */
            size_t idlen = (size_t)(f.file + f.flen - s) + 1;
            while (idlen < n && s[idlen] != '\x01')
                idlen++;
            uint32_t hash, id = ps_frame_cache_get(&cache, s, idlen, 0, &hash, NULL);
            if (id == UINT32_MAX) {
                char tbuf[256];
                ps_frame tf = thread ? ps_thread_frame(tbuf, sizeof tbuf, f.name, f.nlen) : f;
                id = ps_sample_func(b, &tf, e);
                if (id == UINT32_MAX) {
                    at(e, "frame_records[%zu][0][%zu]", i, j);
                    goto out;
                }
                if (ps_frame_cache_put(&cache, s, idlen, 0, hash, id, 0) < 0) {
                    ps_error_set(e, PS_ENOMEM, -1, "out of memory");
                    goto out;
                }
            }
            if (ps_idbuf_push(&stack, id) < 0) {
                ps_error_set(e, PS_ENOMEM, -1, "out of memory");
                goto out;
            }
        }
        double sec = number(t);
        if (!isfinite(sec) || sec < 0) {
            expected(e, "a time in seconds >= 0");
            at(e, "frame_records[%zu][1]", i);
            goto out;
        }
        /* a thread root alone is an idle sample */
        size_t n = stack.n;
        if (n == 1 && o->threads && json_array_size(frames) == 1)
            n = 0;
        if (ps_sample_add_ids(b, stack.ids, n, sec, 1, e) < 0) {
            at(e, "frame_records[%zu]", i);
            goto out;
        }
    }
    rc = 0;
out:
    ps_frame_cache_free(&cache);
    free(stack.ids);
    json_decref(root);
    return rc;
}
