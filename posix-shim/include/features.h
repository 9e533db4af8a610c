/* glibc's <features.h> (posix-shim): newlib's feature macros live in <sys/features.h>. */
#ifndef _FEATURES_H
#define _FEATURES_H

#include <sys/features.h>

#endif
