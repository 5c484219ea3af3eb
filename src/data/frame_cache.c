/* frame_cache.c - frame text -> builder id, for the text importers: the
 * cache's memory and its inserts (the lookups are inline: frame_cache.h,
 * where its design is). */
#include <string.h>
#include "sampled_int.h"

void ps_frame_cache_init(ps_frame_cache *c, size_t expected)
{
    memset(c, 0, sizeof *c);
    /* (a hint: without the room, the table grows as it fills) */
    if (ps_index_init(&c->ix, expected) < 0)
        ps_index_init(&c->ix, 0);
    /* and the entries' room (some 40 bytes a frame), in huge pages from
     * the start rather than doubled through 4 kB ones (a mapping costs only
     * what is written) */
    if (expected)
        ps_bigbuf_grow(&c->textmem, expected * 48);
}

void ps_frame_cache_free(ps_frame_cache *c)
{
    ps_index_free(&c->ix);
    ps_bigbuf_free(&c->textmem);
    memset(c, 0, sizeof *c);
}

int ps_frame_cache_put(ps_frame_cache *c, const char *text, size_t n, int64_t line,
                       uint32_t hash, uint32_t id, uint32_t aux)
{
    size_t need = ps_fc_entry_size(n, line != 0);
    if (n >= PS_FC_MARK || id == UINT32_MAX || c->ntext + need >= UINT32_MAX - 1)
        return 0;   /* not cached: parsed again next time */
    if (ps_bigbuf_grow(&c->textmem, c->ntext + need) < 0 ||
        ps_index_put(&c->ix, hash, (uint32_t)c->ntext) < 0)
        return -1;
    c->text = c->textmem.p;
    ps_fc_entry *en = (ps_fc_entry *)(c->text + c->ntext);
    en->id = id;
    en->aux = aux;
    en->len = (uint32_t)n | (line ? PS_FC_HAS_LINE : 0);
    memcpy(en->text, text, n);
    if (line)
        memcpy(en->text + n, &line, sizeof line);
    c->ntext += need;
    return 0;
}
