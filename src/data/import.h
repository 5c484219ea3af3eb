/* import.h - the hook between the stats loader and the sampled importers. */
#ifndef PSTATS_IMPORT_H
#define PSTATS_IMPORT_H

#include "pstats/sampled.h"

/* The one line for input that fits no format. */
#define PS_TRIED "not a profile: tried a pstats dump (marshal), folded stacks, Austin, plop, " \
                 "speedscope and pyinstrument"

/* Import buf (the whole input; fd >= 0: buf is the mapping of that open
 * file, which a text importer reads rather than touches, -1: memory) when
 * it is, or is forced to be, a sampled format.  Returns 1 when it is
 * for the marshal loader, 0 when imported into the empty stats s, -1 with
 * err set. */
int ps_import_try(ps_stats *s, const unsigned char *buf, size_t len, int fd,
                  const ps_load_options *o, const char *files_line, ps_error *err);
int ps_import_input(ps_stats *s, int fmt, const unsigned char *buf, size_t len, int fd,
                    const ps_sample_options *o, const char *files_line, ps_error *err);

#endif
