/* Host page allocator for the vfs unit tests: zeroed pages from calloc, counted. */
#ifndef TEST_VFS_MEMORY_H
#define TEST_VFS_MEMORY_H

#include <stdlib.h>

#include "path.h"
#include "tmpfs.h"

static long vfs_test_pages_live;

static void *vfs_test_page_alloc(void *context)
{
    (void)context;
    void *page = calloc(1, TMPFS_PAGE_SIZE);
    if (page != NULL)
        vfs_test_pages_live++;
    return page;
}

static void vfs_test_page_free(void *context, void *page)
{
    (void)context;
    vfs_test_pages_live--;
    free(page);
}

static unsigned long vfs_test_now(void *context)
{
    (void)context;
    return 1000000000ul;
}

static const struct tmpfs_memory vfs_test_memory = {
    .page_alloc = vfs_test_page_alloc,
    .page_free = vfs_test_page_free,
    .now = vfs_test_now,
};

/* A fresh tmpfs with one file system mounted as the system root: *root, *mounts, *space. */
static inline struct tmpfs *vfs_test_namespace(long *root, struct mount_table *mounts,
                                               struct path_namespace *space)
{
    struct tmpfs *tmpfs = malloc(sizeof(*tmpfs));
    tmpfs_init(tmpfs, &vfs_test_memory);
    (void)tmpfs_fs_create(tmpfs, 0, root);
    mount_table_init(mounts, *root);
    *space = (struct path_namespace){.tmpfs = tmpfs, .mounts = mounts};
    return tmpfs;
}

/* Frees every file's pages and the tmpfs itself (the end of a test). */
static inline void vfs_test_tmpfs_free(struct tmpfs *tmpfs)
{
    for (long i = 1; i < TMPFS_INODES_MAX; i++) {
        if (tmpfs->inodes[i].mode != 0 && !TMPFS_IS_DIR(tmpfs->inodes[i].mode))
            (void)tmpfs_truncate(tmpfs, i, 0);
    }
    free(tmpfs);
}

#endif
