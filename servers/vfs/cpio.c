/* The cpio newc unpacker: the initrd archive into the root tmpfs (pure logic). */
#include "cpio.h"

#include <aramid/errno.h>

#include "kstring.h"

#define CPIO_HEADER_SIZE 110
#define CPIO_FIELD_MODE 1
#define CPIO_FIELD_FILESIZE 6
#define CPIO_FIELD_NAMESIZE 11

/* The 8-hex-digit field number index (0 = c_ino) of a header, or -1. */
static long cpio_field(const unsigned char *header, unsigned index)
{
    long value = 0;
    const unsigned char *digits = header + 6 + 8 * index;
    for (unsigned i = 0; i < 8; i++) {
        unsigned char c = digits[i];
        long digit;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        else
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

static size_t cpio_align(size_t value)
{
    return (value + 3) & ~(size_t)3;
}

long cpio_walk(const unsigned char *archive, size_t size,
               long (*visit)(void *context, const struct cpio_member *member), void *context)
{
    size_t at = 0;
    for (;;) {
        if (at > size || size - at < CPIO_HEADER_SIZE)
            return -ARAMID_EINVAL;
        const unsigned char *header = archive + at;
        if (memcmp(header, "070701", 6) != 0 && memcmp(header, "070702", 6) != 0)
            return -ARAMID_EINVAL;
        long mode = cpio_field(header, CPIO_FIELD_MODE);
        long file_size = cpio_field(header, CPIO_FIELD_FILESIZE);
        long name_size = cpio_field(header, CPIO_FIELD_NAMESIZE);
        if (mode < 0 || file_size < 0 || name_size < 1)
            return -ARAMID_EINVAL;
        size_t name_at = at + CPIO_HEADER_SIZE;
        if ((size_t)name_size > size - name_at)
            return -ARAMID_EINVAL;
        const char *name = (const char *)archive + name_at;
        if (name[name_size - 1] != '\0' || strlen(name) != (size_t)name_size - 1)
            return -ARAMID_EINVAL;
        size_t data_at = cpio_align(name_at + (size_t)name_size);
        if (data_at > size || (size_t)file_size > size - data_at)
            return -ARAMID_EINVAL;
        if (strcmp(name, "TRAILER!!!") == 0)
            return 0;
        struct cpio_member member = {
            .name = name,
            .name_length = (size_t)name_size - 1,
            .mode = (unsigned)mode,
            .data = archive + data_at,
            .size = (size_t)file_size,
        };
        long result = visit(context, &member);
        if (result != 0)
            return result;
        at = cpio_align(data_at + (size_t)file_size);
    }
}

struct cpio_unpack_context {
    const struct path_namespace *space;
    long root;
};

static long cpio_unpack_member(void *opaque, const struct cpio_member *member)
{
    const struct cpio_unpack_context *context = opaque;
    struct tmpfs *tmpfs = context->space->tmpfs;
    const char *name = member->name;
    size_t length = member->name_length;
    while (length > 0 && (name[0] == '/' || (name[0] == '.' && (length == 1 || name[1] == '/')))) {
        name++;
        length--;
    }
    if (length == 0)
        return 0; /* "." : the root itself */
    struct path_result found;
    long result = path_resolve(context->space, context->root, name, length, PATH_PARENT, &found);
    if (result < 0)
        return result;
    unsigned type = member->mode & TMPFS_S_IFMT;
    unsigned permissions = member->mode & TMPFS_MODE_PERMISSIONS;
    if (found.inode != 0) {
        struct tmpfs_inode *existing = tmpfs_inode(tmpfs, found.inode);
        if (TMPFS_IS_DIR(existing->mode) && type == TMPFS_S_IFDIR) {
            existing->mode = TMPFS_S_IFDIR | permissions;
            return 0;
        }
        result = tmpfs_unlink(tmpfs, found.dir, found.name, found.name_length,
                              TMPFS_IS_DIR(existing->mode));
        if (result < 0)
            return result;
    }
    if (type != TMPFS_S_IFDIR && type != TMPFS_S_IFREG && type != TMPFS_S_IFLNK)
        return 0;
    long inode = tmpfs_create(tmpfs, found.dir, found.name, found.name_length, type | permissions, 0);
    if (inode < 0)
        return inode;
    if (type == TMPFS_S_IFDIR || member->size == 0)
        return 0;
    result = tmpfs_write(tmpfs, inode, 0, member->data, member->size);
    if (result >= 0 && (size_t)result != member->size)
        result = -ARAMID_ENOSPC;
    return result < 0 ? result : 0;
}

long cpio_unpack(const struct path_namespace *space, long root, const unsigned char *archive,
                 size_t size)
{
    struct cpio_unpack_context context = {.space = space, .root = root};
    return cpio_walk(archive, size, cpio_unpack_member, &context);
}
