/* Host tests for the cpio newc unpacker in servers/vfs/cpio.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <aramid/errno.h>

#include "cpio.h"
#include "vfs_memory.h"

static unsigned char archive[8192];
static size_t archive_size;

static void member(const char *name, unsigned mode, const char *data)
{
    size_t name_size = strlen(name) + 1, size = strlen(data);
    archive_size += (size_t)sprintf((char *)archive + archive_size,
                                    "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
                                    1u, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, name_size, 0u);
    memcpy(archive + archive_size, name, name_size);
    archive_size = (archive_size + name_size + 3) & ~(size_t)3;
    memcpy(archive + archive_size, data, size);
    archive_size = (archive_size + size + 3) & ~(size_t)3;
}

static struct tmpfs *tmpfs;
static struct mount_table mounts;
static struct path_namespace space;
static long root;

static int setup(void **state)
{
    (void)state;
    tmpfs = vfs_test_namespace(&root, &mounts, &space);
    archive_size = 0;
    memset(archive, 0, sizeof(archive));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vfs_test_tmpfs_free(tmpfs);
    return 0;
}

static void test_unpacks_tree(void **state)
{
    (void)state;
    member(".", 040755, "");
    member("bin", 040755, "");
    member("bin/prog", 0100755, "\x7f" "ELF...");
    member("./etc", 040755, "");
    member("etc/motd", 0100644, "Welcome to Aramid\n");
    member("etc/link", 0120777, "motd");
    member("TRAILER!!!", 0, "");
    assert_int_equal(cpio_unpack(&space, root, archive, archive_size), 0);
    struct path_result result;
    assert_int_equal(path_resolve(&space, root, "/etc/link", 9, PATH_FOLLOW, &result), 0);
    char buffer[64] = {0};
    assert_int_equal(tmpfs_read(tmpfs, result.inode, 0, buffer, sizeof(buffer)), 18);
    assert_string_equal(buffer, "Welcome to Aramid\n");
    assert_int_equal(path_resolve(&space, root, "/bin/prog", 9, 0, &result), 0);
    assert_int_equal(tmpfs->inodes[result.inode].mode, 0100755);
}

static void test_malformed_archives_are_refused(void **state)
{
    (void)state;
    member("file", 0100644, "data");
    /* No trailer. */
    assert_int_equal(cpio_unpack(&space, root, archive, archive_size), -ARAMID_EINVAL);
    teardown(NULL);
    setup(NULL);
    member("file", 0100644, "data");
    member("TRAILER!!!", 0, "");
    assert_int_equal(cpio_unpack(&space, root, archive, 50), -ARAMID_EINVAL); /* cut short */
    archive[0] = 'x';
    assert_int_equal(cpio_unpack(&space, root, archive, archive_size), -ARAMID_EINVAL);
    archive[0] = '0';
    archive[6 + 8 * 6] = 'F'; /* a file size past the end */
    assert_int_equal(cpio_unpack(&space, root, archive, archive_size), -ARAMID_EINVAL);
    archive[6 + 8 * 6] = 'g'; /* not hex */
    assert_int_equal(cpio_unpack(&space, root, archive, archive_size), -ARAMID_EINVAL);
    teardown(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unpacks_tree, setup, teardown),
        cmocka_unit_test_setup(test_malformed_archives_are_refused, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
