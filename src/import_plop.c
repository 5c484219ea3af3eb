/* import_plop.c - plop's repr() of {stack: count} (placeholder). */
#include "sampled_int.h"

int ps_plop_import(ps_sample_builder *b, const unsigned char *buf, size_t len,
                   const ps_sample_options *o, ps_error *e)
{
    (void)b; (void)buf; (void)len; (void)o;
    return ps_error_set(e, PS_EUSAGE, -1, "plop input is not read yet");
}
