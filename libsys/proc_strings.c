/* libsys: the string encoding of proc's execve and spawn requests (path, argv, envp). */
#include <aramid/errno.h>
#include <aramid/proto/proc.h>

#include "kstring.h"

/* Appends the NUL-terminated text at *used; -E2BIG if it does not fit. */
static long strings_append(char *buffer, size_t size, size_t *used, const char *text)
{
    size_t length = strlen(text) + 1;
    if (length > size - *used)
        return -ARAMID_E2BIG;
    memcpy(buffer + *used, text, length);
    *used += length;
    return 0;
}

/* Appends a NULL-terminated list (NULL: empty) and counts it. */
static long strings_append_list(char *buffer, size_t size, size_t *used, char *const list[],
                                long *count)
{
    *count = 0;
    for (long i = 0; list != NULL && list[i] != NULL; i++) {
        long result = strings_append(buffer, size, used, list[i]);
        if (result < 0)
            return result;
        *count = i + 1;
    }
    return 0;
}

long aramid_proc_strings_encode(char *buffer, size_t size, const char *path, char *const argv[],
                                char *const envp[], long *argc, long *envc)
{
    size_t used = 0;
    if (path == NULL || path[0] == 0 || strlen(path) >= ARAMID_BOOTINFO_NAME_MAX)
        return -ARAMID_ENOENT;
    long result = strings_append(buffer, size, &used, path);
    if (result == 0)
        result = strings_append_list(buffer, size, &used, argv, argc);
    if (result == 0)
        result = strings_append_list(buffer, size, &used, envp, envc);
    return result < 0 ? result : (long)used;
}

long aramid_proc_strings_decode(const char *buffer, size_t bytes, long argc, long envc,
                                const char **path, const char **strings, size_t *strings_length)
{
    if (bytes == 0 || bytes > ARAMID_PROC_STRINGS_MAX || argc < 0 || envc < 0 ||
        argc > (long)bytes || envc > (long)bytes)
        return -ARAMID_EINVAL;
    /* Invariant: offset is the start of string number `index`; each string ends before bytes. */
    size_t offset = 0;
    size_t path_length = 0;
    for (long index = 0; index < 1 + argc + envc; index++) {
        size_t end = offset;
        while (end < bytes && buffer[end] != 0)
            end++;
        if (end == bytes)
            return -ARAMID_EINVAL;
        if (index == 0)
            path_length = end;
        offset = end + 1;
    }
    if (offset != bytes || path_length == 0 || path_length >= ARAMID_BOOTINFO_NAME_MAX)
        return -ARAMID_EINVAL;
    *path = buffer;
    *strings = buffer + path_length + 1;
    *strings_length = bytes - path_length - 1;
    return 0;
}
