/* Host tests for path resolution and the mount table (servers/vfs/path.c, mount.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <aramid/errno.h>

#include "mount.h"
#include "path.h"
#include "vfs_memory.h"

static struct tmpfs *tmpfs;
static struct mount_table mounts;
static struct path_namespace space;
static long root, tmp_root, dir, file;

static long create(long at, const char *name, unsigned mode)
{
    return tmpfs_create(tmpfs, at, name, strlen(name), mode, 0);
}

static long symlink_create(long at, const char *name, const char *target)
{
    long link = create(at, name, TMPFS_S_IFLNK | 0777);
    assert_int_equal(tmpfs_write(tmpfs, link, 0, target, strlen(target)), (long)strlen(target));
    return link;
}

/* / has dir/ (with file), tmp/ (mount point of a second tmpfs), links. */
static int setup(void **state)
{
    (void)state;
    tmpfs = vfs_test_namespace(&root, &mounts, &space);
    dir = create(root, "dir", TMPFS_S_IFDIR | 0755);
    file = create(dir, "file", TMPFS_S_IFREG | 0644);
    long covered = create(root, "tmp", TMPFS_S_IFDIR | 01777);
    tmpfs_fs_create(tmpfs, 16, &tmp_root);
    return (int)mount_add(&mounts, covered, tmp_root);
}

static int teardown(void **state)
{
    (void)state;
    vfs_test_tmpfs_free(tmpfs);
    return 0;
}

static long resolve(long start, const char *path, int flags, struct path_result *result)
{
    return path_resolve(&space, start, path, strlen(path), flags, result);
}

static long inode_of(const char *path, int flags)
{
    struct path_result result;
    long error = resolve(root, path, flags, &result);
    return error < 0 ? error : result.inode;
}

static void test_dots_and_slashes(void **state)
{
    (void)state;
    assert_int_equal(inode_of("/dir/file", 0), file);
    assert_int_equal(inode_of("//dir///./file", 0), file);
    assert_int_equal(inode_of("/dir/../dir/file", 0), file);
    assert_int_equal(inode_of("/..", 0), root);
    assert_int_equal(inode_of("/", 0), root);
    assert_int_equal(inode_of("/dir/", 0), dir);
    struct path_result result;
    assert_int_equal(resolve(dir, "file", 0, &result), 0);
    assert_int_equal(result.inode, file);
    assert_int_equal(result.dir, dir);
    assert_string_equal(result.name, "file");
}

static void test_errors_as_linux(void **state)
{
    (void)state;
    assert_int_equal(inode_of("", 0), -ARAMID_ENOENT);
    assert_int_equal(inode_of("/missing", 0), -ARAMID_ENOENT);
    assert_int_equal(inode_of("/missing/x", PATH_PARENT), -ARAMID_ENOENT);
    assert_int_equal(inode_of("/dir/file/x", 0), -ARAMID_ENOTDIR);
    assert_int_equal(inode_of("/dir/file/", 0), -ARAMID_ENOTDIR);
    assert_int_equal(inode_of("/dir/new", PATH_PARENT), 0);
    static char huge[5000];
    memset(huge, 'a', sizeof(huge) - 1);
    assert_int_equal(inode_of(huge, 0), -ARAMID_ENAMETOOLONG);
    char name[300] = "/";
    memset(name + 1, 'n', 256);
    assert_int_equal(inode_of(name, PATH_PARENT), -ARAMID_ENAMETOOLONG);
    name[256] = '\0'; /* 255 bytes: fine, and missing */
    assert_int_equal(inode_of(name, 0), -ARAMID_ENOENT);
    /* 4095 bytes of "/././..." resolve; 4096 do not. */
    static char longest[4097];
    for (int i = 0; i < 4095; i++)
        longest[i] = (i % 2 == 0) ? '/' : '.';
    assert_int_equal(path_resolve(&space, root, longest, 4095, 0, &(struct path_result){0}), 0);
    longest[4095] = '/';
    assert_int_equal(path_resolve(&space, root, longest, 4096, 0, &(struct path_result){0}),
                     -ARAMID_ENAMETOOLONG);
}

static void test_symlinks(void **state)
{
    (void)state;
    symlink_create(root, "abs", "/dir/file");
    symlink_create(dir, "rel", "file");
    symlink_create(root, "todir", "dir");
    symlink_create(root, "dangling", "/nowhere");
    assert_int_equal(inode_of("/abs", PATH_FOLLOW), file);
    assert_int_equal(inode_of("/dir/rel", PATH_FOLLOW), file);
    assert_int_equal(inode_of("/todir/file", 0), file);
    assert_int_equal(inode_of("/todir/", 0), dir);
    long link = tmpfs_lookup(tmpfs, root, "abs", 3);
    assert_int_equal(inode_of("/abs", 0), link); /* lstat: the link itself */
    assert_int_equal(inode_of("/dangling", PATH_FOLLOW), -ARAMID_ENOENT);
    struct path_result result;
    assert_int_equal(resolve(root, "/dangling", PATH_FOLLOW | PATH_PARENT, &result), 0);
    assert_int_equal(result.inode, 0); /* open(O_CREAT) creates the target */
    assert_string_equal(result.name, "nowhere");
    assert_int_equal(inode_of("/abs/", 0), -ARAMID_ENOTDIR);
}

static void test_symlink_loops(void **state)
{
    (void)state;
    symlink_create(root, "self", "self");
    assert_int_equal(inode_of("/self", PATH_FOLLOW), -ARAMID_ELOOP);
    /* A chain of 40 links resolves; 41 give ELOOP (Linux's MAXSYMLINKS). */
    char name[16], target[16];
    for (int i = 0; i < 41; i++) {
        snprintf(name, sizeof(name), "l%d", i);
        snprintf(target, sizeof(target), i == 0 ? "dir" : "l%d", i - 1);
        symlink_create(root, name, target);
    }
    assert_int_equal(inode_of("/l39", PATH_FOLLOW), dir);
    assert_int_equal(inode_of("/l40", PATH_FOLLOW), -ARAMID_ELOOP);
}

static void test_mounts(void **state)
{
    (void)state;
    assert_int_equal(inode_of("/tmp", 0), tmp_root);
    assert_int_equal(inode_of("/tmp/..", 0), root);
    assert_int_equal(inode_of("/tmp/../dir/file", 0), file);
    long inner = create(tmp_root, "inner", TMPFS_S_IFDIR | 0755);
    assert_int_equal(inode_of("/tmp/inner/../..", 0), root);
    assert_int_equal(path_parent(&space, inner), tmp_root);
    assert_true(mount_busy(&mounts, tmp_root));
    assert_int_equal(mount_add(&mounts, dir, tmp_root), -ARAMID_EBUSY);
    assert_int_equal(tmpfs_link(tmpfs, tmp_root, "f", 1, file), -ARAMID_EXDEV);
    char buffer[64];
    assert_int_equal(path_absolute(&space, inner, buffer, sizeof(buffer)), 10);
    assert_string_equal(buffer, "/tmp/inner");
    assert_int_equal(path_absolute(&space, root, buffer, sizeof(buffer)), 1);
    assert_string_equal(buffer, "/");
    assert_int_equal(path_absolute(&space, dir, buffer, sizeof(buffer)), 4);
    assert_string_equal(buffer, "/dir");
    assert_int_equal(path_absolute(&space, inner, buffer, 5), -ARAMID_ERANGE);
    tmpfs_open(tmpfs, inner);
    assert_int_equal(tmpfs_unlink(tmpfs, tmp_root, "inner", 5, true), 0);
    assert_int_equal(path_absolute(&space, inner, buffer, sizeof(buffer)), -ARAMID_ENOENT);
    assert_int_equal(tmpfs_create(tmpfs, inner, "x", 1, TMPFS_S_IFREG, 0), -ARAMID_ENOENT);
    tmpfs_close(tmpfs, inner);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dots_and_slashes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_as_linux, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_loops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mounts, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
