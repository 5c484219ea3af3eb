/* marshal_tune.h - the marshal reader's per-tuple slot for its user (the
 * generic dump loader, data/stats.c).  Internal: the public reader
 * (pstats/marshal.h) works without it. */
#ifndef PSTATS_DATA_MARSHAL_TUNE_H
#define PSTATS_DATA_MARSHAL_TUNE_H

#include <stdint.h>
#include "pstats/marshal.h"

/* A slot the reader's user may keep one number in per tuple object (0 until
 * set): a tuple read again through a back-reference brings the same slot, so
 * a key converted once is not converted again. Valid while the reader lives. */
int64_t *ps_mobj_tuple_cache(const mobj *tuple);

#endif
