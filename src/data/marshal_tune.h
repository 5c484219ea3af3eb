/* marshal_tune.h - the marshal reader's hooks for the stats loader's speed
 * (data/stats.c): a per-tuple cache slot, a scratch arena for batches handed
 * to another thread, and returning consumed input pages.  Internal: the
 * public reader (pstats/marshal.h) works without them. */
#ifndef PSTATS_DATA_MARSHAL_TUNE_H
#define PSTATS_DATA_MARSHAL_TUNE_H

#include <stdint.h>
#include "pstats/marshal.h"

/* A slot the reader's user may keep one number in per tuple object (0 until
 * set): a tuple read again through a back-reference brings the same slot, so
 * a key converted once is not converted again. Valid while the reader lives. */
int64_t *ps_mobj_tuple_cache(const mobj *tuple);

/* Allocate the streamed pairs' unflagged parts in `a` instead, which the
 * caller resets: pairs then stay valid until it does (a batch of them can be
 * handed to another thread).  NULL goes back to the reader's own arena. */
void ps_marshal_reader_use_scratch(marshal_reader *r, arena *a);

/* Let the reader return consumed pages of a mapped input to the kernel, so
 * peak memory is the parsed stats, not the file (the input must be mapped
 * read-only and privately, as ps_marshal_input_open does). */
void ps_marshal_reader_discard_input(marshal_reader *r, int on);

#endif
