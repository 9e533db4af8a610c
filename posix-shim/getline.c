/* posix-shim's getline and getdelim: POSIX names for newlib's __getline and __getdelim. */
#include <stdio.h>

ssize_t getline(char **line, size_t *size, FILE *stream)
{
    return __getline(line, size, stream);
}

ssize_t getdelim(char **line, size_t *size, int delimiter, FILE *stream)
{
    return __getdelim(line, size, delimiter, stream);
}
