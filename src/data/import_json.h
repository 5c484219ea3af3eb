/* import_json.h - the JSON importers (import_json.c) for the sampled loader
 * (import.c dispatches speedscope and pyinstrument input here). */
#ifndef PSTATS_IMPORT_JSON_H
#define PSTATS_IMPORT_JSON_H

#include "pstats/sampled.h"

/* A speedscope file / a pyinstrument session (the whole input) into the
 * builder.  0, or -1 with err set: malformed JSON at its byte offset, other
 * errors with the JSON path in the message and offset -1. */
int ps_speedscope_import(ps_sample_builder *b, const unsigned char *buf, size_t len,
                         const ps_sample_options *o, ps_error *err);
int ps_pyinstrument_import(ps_sample_builder *b, const unsigned char *buf, size_t len,
                           const ps_sample_options *o, ps_error *err);

#endif
