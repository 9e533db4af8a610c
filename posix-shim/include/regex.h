/* posix-shim overlay of newlib's <regex.h>: self-contained, as glibc's (newlib's needs off_t). */
#ifndef POSIX_SHIM_REGEX_H
#define POSIX_SHIM_REGEX_H

#include <sys/types.h>
#include_next <regex.h>

#endif
