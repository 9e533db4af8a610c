/* posix-shim boot files: the boot modules as a flat, read-only file table (until the VFS). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootfs.h"
#include "fd.h"
#include "shim.h"

/* path without leading "/" and "./": boot modules are named as aramid-run's --file GUEST. */
static const char *bootfs_relative(const char *path)
{
    for (;;) {
        if (path[0] == '/')
            path++;
        else if (path[0] == '.' && path[1] == '/')
            path += 2;
        else
            return path;
    }
}

/* A number for the module's st_ino in a child of proc: FNV-1a of its name. */
static unsigned long bootfs_name_number(const char *name)
{
    unsigned long hash = 14695981039346656037ul;
    for (; *name != '\0'; name++)
        hash = (hash ^ (unsigned char)*name) * 1099511628211ul;
    return hash >> 1;
}

/*
 * Finds the module named path: its description in *module and a number for st_ino; -ENOENT,
 * or -EISDIR for "/" and "" (the listing-less root). In a child of proc the module comes from
 * proc (module_open) and module->memory_object is a new handle: bootfs_done closes it.
 */
static long bootfs_find(const char *path, struct aramid_boot_module *module)
{
    const char *relative = bootfs_relative(path);
    if (path[0] == '\0')
        return -ENOENT;
    if (relative[0] == '\0' || strcmp(relative, ".") == 0)
        return -EISDIR;
    if (shim_started_by_proc) {
        size_t size = 0;
        if (strlen(relative) >= sizeof(module->name))
            return -ENOENT;
        long handle = shim_error_from_sys(aramid_proc_module_open(relative, &size));
        if (handle < 0)
            return handle;
        strcpy(module->name, relative);
        module->size = size;
        module->memory_object = handle;
        return (long)bootfs_name_number(relative);
    }
    unsigned long count = shim_bootinfo->module_count;
    if (count > ARAMID_BOOTINFO_MODULES_MAX)
        count = ARAMID_BOOTINFO_MODULES_MAX;
    for (unsigned long i = 0; i < count; i++) {
        const struct aramid_boot_module *candidate = &shim_bootinfo->modules[i];
        if (strncmp(bootfs_relative(candidate->name), relative, ARAMID_BOOTINFO_NAME_MAX) == 0) {
            *module = *candidate;
            return (long)i;
        }
    }
    return -ENOENT;
}

/* Closes the handle bootfs_find got from proc. */
static void bootfs_done(struct aramid_boot_module *module)
{
    if (shim_started_by_proc)
        (void)sys_handle_close(module->memory_object); /* ours: closing cannot fail */
}

static void bootfs_fill_stat(unsigned long index, size_t size, struct stat *status)
{
    status->st_ino = (ino_t)(index + 1);
    status->st_mode = S_IFREG | 0444;
    status->st_nlink = 1;
    status->st_size = (off_t)size;
    status->st_blksize = (blksize_t)SHIM_PAGE_SIZE;
    status->st_blocks = (blkcnt_t)(SHIM_PAGE_ROUND_UP(size) / 512);
}

static long bootfs_read(struct fd_file *file, void *buffer, size_t length)
{
    if ((size_t)file->offset >= file->size)
        return 0;
    size_t left = file->size - (size_t)file->offset;
    if (length > left)
        length = left;
    memcpy(buffer, (const char *)file->data + file->offset, length);
    file->offset += (off_t)length;
    return (long)length;
}

static long bootfs_seek(struct fd_file *file, off_t offset, int whence)
{
    off_t base;
    switch (whence) {
    case SEEK_SET:
        base = 0;
        break;
    case SEEK_CUR:
        base = file->offset;
        break;
    case SEEK_END:
        base = (off_t)file->size;
        break;
    default:
        return -EINVAL;
    }
    if (offset < -base || (offset > 0 && base > __INT64_MAX__ - offset))
        return -EINVAL;
    file->offset = base + offset;
    return file->offset;
}

static long bootfs_stat(struct fd_file *file, struct stat *status)
{
    bootfs_fill_stat(file->index, file->size, status);
    return 0;
}

/* The mapping made by bootfs_open goes with the last descriptor. */
static void bootfs_release(struct fd_file *file)
{
    if (file->size > 0)
        sys_vm_unmap(shim_self_space, (unsigned long)file->data, SHIM_PAGE_ROUND_UP(file->size));
}

static const struct fd_backend bootfs_backend = {
    .name = "bootfs",
    .read = bootfs_read,
    .seek = bootfs_seek,
    .stat = bootfs_stat,
    .release = bootfs_release,
};

/* The open of a found module (bootfs_open closes module's handle afterwards). */
static long bootfs_open_module(struct aramid_boot_module *module, long index, int flags)
{
    if ((flags & O_CREAT) && (flags & O_EXCL))
        return -EEXIST;
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
        return -EROFS;
    struct fd_file *file = fd_file_create(&bootfs_backend, O_RDONLY);
    if (file == NULL)
        return -ENFILE;
    file->index = (unsigned long)index;
    file->size = module->size;
    if (module->size > 0) {
        const void *bytes;
        long mapped = shim_error_from_sys(aramid_module_map(shim_self_space, module, &bytes));
        if (mapped < 0) {
            file->size = 0;
            fd_file_put(file);
            return mapped;
        }
        file->data = bytes;
    }
    long descriptor = fd_install(file, 0, (flags & O_CLOEXEC) != 0);
    fd_file_put(file);
    return descriptor;
}

long bootfs_open(const char *path, int flags)
{
    struct aramid_boot_module module;
    long index = bootfs_find(path, &module);
    if (index == -ENOENT && (flags & O_CREAT))
        return -EROFS;
    if (index < 0)
        return index;
    long result = bootfs_open_module(&module, index, flags);
    bootfs_done(&module);
    return result;
}

long bootfs_stat_path(const char *path, struct stat *status)
{
    struct aramid_boot_module module;
    long index = bootfs_find(path, &module);
    memset(status, 0, sizeof(*status));
    if (index == -EISDIR) {
        status->st_mode = S_IFDIR | 0555;
        status->st_nlink = 2;
        return 0;
    }
    if (index < 0)
        return index;
    bootfs_fill_stat((unsigned long)index, module.size, status);
    bootfs_done(&module);
    return 0;
}

long bootfs_modify(const char *path)
{
    struct aramid_boot_module module;
    long index = bootfs_find(path, &module);
    if (index >= 0)
        bootfs_done(&module);
    return index == -ENOENT ? -ENOENT : -EROFS;
}

int bootfs_is_directory(const char *path)
{
    const char *relative = bootfs_relative(path);
    return path[0] != '\0' && (relative[0] == '\0' || strcmp(relative, ".") == 0);
}
