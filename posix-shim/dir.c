/* posix-shim directories: getdents64 over the vfs, and the dirent streams on top of it. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/dirent.h>
#include <unistd.h>

#include "fd.h"
#include "shim.h"
#include "vfs.h"

ssize_t getdents64(int fd, void *buffer, size_t length)
{
    struct fd_file *file = fd_lookup(fd);
    if (file == NULL)
        return shim_return(-EBADF);
    if (file->backend != &vfs_backend || file->index != ARAMID_VFS_KIND_DIRECTORY)
        return shim_return(-ENOTDIR);
    size_t size;
    unsigned index;
    long error = 0;
    unsigned char *shared = vfs_buffer_get(&size, &index, &error);
    if (shared == NULL)
        return shim_return(error);
    struct aramid_vfs_getdents_request request = {
        .ofd = file->handle, .length = (long)(length < size ? length : size)};
    struct aramid_vfs_getdents_reply reply;
    bool taken = vfs_buffer_take(index);
    long result =
        shim_error_from_sys(aramid_vfs_call_in_getdents(index, &request, 0, &reply, NULL));
    if (result > (long)length)
        result = -EIO;
    else if (result > 0 && shim_copy_out(buffer, shared, (size_t)result) < 0)
        result = -EFAULT;
    vfs_buffer_give(taken);
    return shim_return(result);
}

DIR *fdopendir(int fd)
{
    struct fd_file *file = fd_lookup(fd);
    if (file == NULL) {
        shim_return(-EBADF);
        return NULL;
    }
    if (file->backend != &vfs_backend || file->index != ARAMID_VFS_KIND_DIRECTORY) {
        shim_return(-ENOTDIR);
        return NULL;
    }
    DIR *stream = malloc(sizeof(*stream));
    if (stream == NULL)
        return NULL;
    stream->dd_fd = fd;
    stream->dd_position = stream->dd_size = 0;
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    return stream;
}

DIR *opendir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    DIR *stream = fdopendir(fd);
    if (stream == NULL)
        (void)close(fd);
    return stream;
}

struct dirent *readdir(DIR *stream)
{
    if (stream->dd_position >= stream->dd_size) {
        ssize_t bytes = getdents64(stream->dd_fd, stream->dd_buffer, sizeof(stream->dd_buffer));
        if (bytes <= 0)
            return NULL; /* the end (errno untouched) or an error (errno set) */
        stream->dd_size = (size_t)bytes;
        stream->dd_position = 0;
    }
    /* Records are vfs's linux_dirent64 layout, which is struct dirent's up to d_name. */
    struct dirent *entry = (struct dirent *)(stream->dd_buffer + stream->dd_position);
    stream->dd_position += entry->d_reclen;
    return entry;
}

void rewinddir(DIR *stream)
{
    (void)lseek(stream->dd_fd, 0, SEEK_SET);
    stream->dd_position = stream->dd_size = 0;
}

int closedir(DIR *stream)
{
    int result = close(stream->dd_fd);
    free(stream);
    return result;
}

int dirfd(DIR *stream)
{
    return stream->dd_fd;
}
