/* The cpio newc unpacker: the initrd archive into the root tmpfs (pure logic). */
#ifndef VFS_CPIO_H
#define VFS_CPIO_H

#include <stddef.h>

#include "path.h"

/* One archive member: name (NUL-terminated, name_length bytes without it), Linux st_mode,
 * data (file contents or symlink target). */
struct cpio_member {
    const char *name;
    size_t name_length;
    unsigned mode;
    const unsigned char *data;
    size_t size;
};

/* Calls visit for each member up to "TRAILER!!!"; stops at the first nonzero return and
 * returns it. -EINVAL for a malformed archive (bad magic, lengths past the end, no NUL in a
 * name, no trailer). */
long cpio_walk(const unsigned char *archive, size_t size,
               long (*visit)(void *context, const struct cpio_member *member), void *context);

/* Unpacks archive into the tree under root: directories, regular files, symlinks (other
 * types are skipped); names are relative to root (a leading "./" or "/" is dropped, "." is
 * root itself). Existing directories are kept; an existing file is replaced. */
long cpio_unpack(const struct path_namespace *space, long root, const unsigned char *archive,
                 size_t size);

#endif
