/* import_austin.c - Austin text (placeholder). */
#include "sampled_int.h"

int ps_austin_parser(ps_line_parser *p, ps_sample_builder *b, const ps_sample_options *o,
                     ps_error *e)
{
    (void)p; (void)b; (void)o;
    return ps_error_set(e, PS_EUSAGE, -1, "Austin input is not read yet");
}
