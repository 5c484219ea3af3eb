/* version.h - the toolkit's one version: the library's, and what every
 * program's --version prints. */
#ifndef PSTATS_VERSION_H
#define PSTATS_VERSION_H

#define PSTATS_VERSION "1.0"

#endif
