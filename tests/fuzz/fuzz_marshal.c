/* fuzz_marshal - the marshal reader: ps_marshal_read_object on the input, then
 * the streaming interface (peek, dict_begin, dict_next) as the loader uses it.
 * Every object read is walked (a tuple may contain itself through a
 * reference, so the walk has a budget). */
#include "data/marshal_tune.h"
#include "fuzz_common.h"

static void walk(const mobj *o, int depth, long *budget)
{
    if (--*budget < 0 || depth > 2100)
        return;
    (void)ps_mobj_type_name(o);
    (void)ps_mobj_truthy(o);
    switch (o->type) {
    case MO_STR: case MO_BYTES:
        if (o->u.s->s[o->u.s->len] != '\0')
            abort();
        break;
    case MO_CODE:
        if (!o->u.code->name || !o->u.code->filename || !o->u.code->repr)
            abort();
        break;
    case MO_TUPLE:
        (void)*ps_mobj_tuple_cache(o);
        /* fall through */
    case MO_LIST:
        for (uint32_t i = 0; i < o->n; i++)
            walk(&o->u.items[i], depth + 1, budget);
        break;
    case MO_DICT:
        for (uint32_t i = 0; i < 2 * o->n; i++)
            walk(&o->u.items[i], depth + 1, budget);
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_error e;
    ps_error_clear(&e);
    long budget = 1 << 20;

    marshal_reader *r = ps_marshal_reader_new(data, size);
    if (!r)
        abort();
    mobj o;
    if (ps_marshal_read_object(r, &o, &e) == 0) {
        walk(&o, 0, &budget);
        if (ps_marshal_reader_offset(r) > size)
            abort();
    } else {
        fuzz_check_error(&e, size);
    }
    ps_marshal_reader_free(r);

    /* The streaming path: a top-level dict item by item. */
    r = ps_marshal_reader_new(data, size);
    if (!r)
        abort();
    ps_error_clear(&e);
    if (ps_marshal_peek_type(r) == '{' && ps_marshal_read_dict_begin(r, &e) == 0) {
        mobj k, v;
        int got;
        while ((got = ps_marshal_read_dict_next(r, &k, &v, &e)) == 1) {
            walk(&k, 1, &budget);
            walk(&v, 1, &budget);
        }
        if (got < 0)
            fuzz_check_error(&e, size);
    }
    ps_marshal_reader_free(r);
    return 0;
}
