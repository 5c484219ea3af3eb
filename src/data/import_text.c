/* import_text.c - what the text importers (import_folded.c, import_austin.c)
 * share: their common state, the frame cache with the smallest line seen,
 * and the shapes of frames both formats write (sampled_int.h). */
#include <string.h>
#include "sampled_int.h"

int ps_is_digits(const char *p, size_t n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

void ps_text_importer_init(ps_text_importer *t, ps_sample_builder *b, const ps_sample_options *o)
{
    memset(t, 0, sizeof *t);
    t->b = b;
    t->o = *o;
    ps_frame_cache_init(&t->cache, ps_sample_expected_funcs(b));
}

void ps_text_importer_free(ps_text_importer *t)
{
    ps_frame_cache_free(&t->cache);
    free(t->ids.ids);
}

void ps_text_importer_end(ps_text_importer *t)
{
    const ps_frame_cache *c = &t->cache;
    for (size_t off = 0; off < c->ntext;) {
        const ps_fc_entry *en = (const ps_fc_entry *)(c->text + off);
        if (en->len & PS_FC_MARK)
            ps_sample_func_line(t->b, en->id, en->aux);
        off += ps_fc_entry_size(en->len & ~(PS_FC_HAS_LINE | PS_FC_MARK),
                                (en->len & PS_FC_HAS_LINE) != 0);
    }
}

int ps_frame_remember(ps_text_importer *t, const char *key, size_t n, int64_t cline,
                      uint32_t hash, uint32_t id, int64_t seen, ps_error *e)
{
    if (ps_frame_cache_put(&t->cache, key, n, cline, hash, id,
                           seen && seen < UINT32_MAX ? (uint32_t)seen : UINT32_MAX) < 0)
        return ps_error_set(e, PS_ENOMEM, -1, "out of memory");
    return 0;
}

int ps_frame_paren(const char *t, size_t n, int split, ps_frame *f)
{
    if (n < 3 || t[n - 1] != ')')
        return -1;
    const char *open = NULL;
    for (size_t i = 1; i + 1 < n; i++)
        if (t[i] == '(' && t[i - 1] == ' ') {
            open = t + i;
            break;
        }
    if (!open)
        return -1;
    f->name = t;
    f->nlen = (size_t)(open - 1 - t);
    f->file = open + 1;
    f->flen = (size_t)(t + n - 1 - f->file);
    const char *colon = split ? memrchr(f->file, ':', f->flen) : NULL;
    if (colon && ps_is_digits(colon + 1, (size_t)(f->file + f->flen - colon - 1))) {
        ps_parse_count(colon + 1, (size_t)(f->file + f->flen - colon - 1), &f->line);
        f->flen = (size_t)(colon - f->file);
    }
    return 0;
}
