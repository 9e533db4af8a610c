/* posix-shim overlay of newlib's <stdio.h>: declares POSIX's getline and getdelim (getline.c),
 * which newlib 3.3 has only as __getline and __getdelim. */
#ifndef POSIX_SHIM_STDIO_H
#define POSIX_SHIM_STDIO_H

#include_next <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

ssize_t getline(char **__restrict line, size_t *__restrict size, FILE *__restrict stream);
ssize_t getdelim(char **__restrict line, size_t *__restrict size, int delimiter,
                 FILE *__restrict stream);

#ifdef __cplusplus
}
#endif

#endif
