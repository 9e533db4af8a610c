/* Host tests for the tmpfs in servers/vfs/tmpfs.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include <aramid/errno.h>

#include "tmpfs.h"
#include "vfs_memory.h"

static struct tmpfs *tmpfs;
static long root;

static int setup(void **state)
{
    (void)state;
    tmpfs = malloc(sizeof(*tmpfs));
    tmpfs_init(tmpfs, &vfs_test_memory);
    vfs_test_pages_live = 0;
    return tmpfs_fs_create(tmpfs, 0, &root) < 0;
}

static int teardown(void **state)
{
    (void)state;
    vfs_test_tmpfs_free(tmpfs);
    return 0;
}

static long create(long dir, const char *name, unsigned mode)
{
    return tmpfs_create(tmpfs, dir, name, strlen(name), mode, 0);
}

static void test_window_holds_the_data(void **state)
{
    (void)state;
    static unsigned char window[4 * TMPFS_PAGE_SIZE]; /* what a memory object would be */
    memset(window, 0, sizeof(window));
    long file = create(root, "mapped", TMPFS_S_IFREG | 0644);
    long directory = create(root, "dir", TMPFS_S_IFDIR | 0755);
    assert_int_equal(tmpfs_write(tmpfs, file, TMPFS_PAGE_SIZE + 10, "data", 4), 4);
    long live = vfs_test_pages_live;
    assert_int_equal(tmpfs_window_attach(tmpfs, directory, window, 1), -ARAMID_EINVAL);
    /* The data page is copied in and freed; the hole before it becomes a window page. */
    assert_int_equal(tmpfs_window_attach(tmpfs, file, window, 2), 0);
    assert_int_equal(vfs_test_pages_live, live - 1);
    assert_int_equal(tmpfs->inodes[file].pages, 2);
    assert_memory_equal(window + TMPFS_PAGE_SIZE + 10, "data", 4);
    assert_int_equal(tmpfs_window_attach(tmpfs, file, window, 1), -ARAMID_EINVAL);
    /* A store in the window is what read sees; a write is what the window holds. */
    memcpy(window + 5, "store", 5);
    char buffer[8] = {0};
    assert_int_equal(tmpfs_read(tmpfs, file, 5, buffer, 5), 5);
    assert_memory_equal(buffer, "store", 5);
    assert_int_equal(tmpfs_write(tmpfs, file, 100, "write", 5), 5);
    assert_memory_equal(window + 100, "write", 5);
    /* Growing: the new pages count, a write past the end lands in the window. */
    assert_int_equal(tmpfs_window_attach(tmpfs, file, window, 4), 0);
    assert_int_equal(tmpfs->inodes[file].pages, 4);
    assert_int_equal(tmpfs_write(tmpfs, file, 3 * TMPFS_PAGE_SIZE, "end", 3), 3);
    assert_memory_equal(window + 3 * TMPFS_PAGE_SIZE, "end", 3);
    /* A truncate zeroes the window past the end but keeps its pages in the file. */
    assert_int_equal(tmpfs_truncate(tmpfs, file, 7), 0);
    assert_int_equal(window[7], 0);
    assert_int_equal(window[100], 0);
    assert_int_equal(window[3 * TMPFS_PAGE_SIZE], 0);
    assert_int_equal(tmpfs->inodes[file].pages, 4);
    assert_int_equal(tmpfs_truncate(tmpfs, file, 2 * TMPFS_PAGE_SIZE), 0);
    memcpy(window + TMPFS_PAGE_SIZE, "again", 5);
    assert_int_equal(tmpfs_read(tmpfs, file, TMPFS_PAGE_SIZE, buffer, 5), 5);
    assert_memory_equal(buffer, "again", 5);
    /* The inode going leaves the window's pages to their owner. */
    long before = vfs_test_pages_live;
    assert_int_equal(tmpfs_unlink(tmpfs, root, "mapped", 6, false), 0);
    assert_int_equal(tmpfs->inodes[file].mode, 0);
    assert_null(tmpfs->inodes[file].window);
    assert_int_equal(vfs_test_pages_live, before - 2); /* only the two index pages */
}

static long resized_inode = -1;
static unsigned long resized_size, resize_calls;

static void record_resize(void *context, long inode, unsigned long size)
{
    (void)context;
    resized_inode = inode;
    resized_size = size;
    resize_calls++;
}

/* window_resize hears each size change of an inode with a window (its mappings end there). */
static void test_window_hears_the_size(void **state)
{
    (void)state;
    static unsigned char window[2 * TMPFS_PAGE_SIZE];
    memset(window, 0, sizeof(window));
    tmpfs->memory.window_resize = record_resize;
    resize_calls = 0;
    long file = create(root, "sized", TMPFS_S_IFREG | 0644);
    assert_int_equal(tmpfs_write(tmpfs, file, 0, "abc", 3), 3);
    assert_int_equal(resize_calls, 0); /* no window yet: nobody to tell */
    assert_int_equal(tmpfs_window_attach(tmpfs, file, window, 2), 0);
    assert_int_equal(tmpfs_write(tmpfs, file, 1, "x", 1), 1);
    assert_int_equal(resize_calls, 0); /* inside the end: the size stays */
    assert_int_equal(tmpfs_write(tmpfs, file, TMPFS_PAGE_SIZE + 5, "y", 1), 1);
    assert_int_equal(resize_calls, 1);
    assert_int_equal(resized_inode, file);
    assert_int_equal(resized_size, TMPFS_PAGE_SIZE + 6);
    assert_int_equal(tmpfs_truncate(tmpfs, file, 10), 0);
    assert_int_equal(resize_calls, 2);
    assert_int_equal(resized_size, 10);
    assert_int_equal(tmpfs_truncate(tmpfs, file, 10), 0);
    assert_int_equal(resize_calls, 2); /* the same size: nothing new */
    assert_int_equal(tmpfs_truncate(tmpfs, file, 3 * TMPFS_PAGE_SIZE), 0);
    assert_int_equal(resize_calls, 3);
    assert_int_equal(resized_size, 3 * TMPFS_PAGE_SIZE);
    assert_int_equal(tmpfs_unlink(tmpfs, root, "sized", 5, false), 0); /* its index goes */
}

static void test_window_keeps_the_page_limit(void **state)
{
    (void)state;
    static unsigned char window[3 * TMPFS_PAGE_SIZE];
    long limited_root;
    long fs = tmpfs_fs_create(tmpfs, 2, &limited_root);
    assert_true(fs > 0);
    long file = create(limited_root, "f", TMPFS_S_IFREG | 0644);
    assert_int_equal(tmpfs_window_attach(tmpfs, file, window, 3), -ARAMID_ENOSPC);
    assert_int_equal(tmpfs->file_systems[fs].pages_used, 0);
    assert_int_equal(tmpfs_window_attach(tmpfs, file, window, 2), 0);
    assert_int_equal(tmpfs->file_systems[fs].pages_used, 2);
    assert_int_equal(tmpfs_write(tmpfs, file, 2 * TMPFS_PAGE_SIZE, "x", 1), -ARAMID_ENOSPC);
    assert_int_equal(tmpfs_unlink(tmpfs, limited_root, "f", 1, false), 0);
    assert_int_equal(tmpfs->file_systems[fs].pages_used, 0);
}

static void test_create_lookup_and_errors(void **state)
{
    (void)state;
    long file = create(root, "a", TMPFS_S_IFREG | 0644);
    assert_true(file > 0);
    assert_int_equal(tmpfs_lookup(tmpfs, root, "a", 1), file);
    assert_int_equal(tmpfs_lookup(tmpfs, root, "b", 1), -ARAMID_ENOENT);
    assert_int_equal(create(root, "a", TMPFS_S_IFREG | 0644), -ARAMID_EEXIST);
    assert_int_equal(tmpfs_lookup(tmpfs, file, "x", 1), -ARAMID_ENOTDIR);
    char long_name[300];
    memset(long_name, 'n', sizeof(long_name));
    assert_int_equal(tmpfs_create(tmpfs, root, long_name, 256, TMPFS_S_IFREG, 0),
                     -ARAMID_ENAMETOOLONG);
    assert_true(tmpfs_create(tmpfs, root, long_name, 255, TMPFS_S_IFREG, 0) > 0);
}

static void test_directory_link_counts(void **state)
{
    (void)state;
    assert_int_equal(tmpfs->inodes[root].nlink, 2);
    long dir = create(root, "d", TMPFS_S_IFDIR | 0755);
    assert_int_equal(tmpfs->inodes[root].nlink, 3);
    assert_int_equal(tmpfs->inodes[dir].nlink, 2);
    assert_int_equal(tmpfs->inodes[dir].parent, root);
    long inner = create(dir, "f", TMPFS_S_IFREG | 0644);
    assert_int_equal(tmpfs_unlink(tmpfs, root, "d", 1, true), -ARAMID_ENOTEMPTY);
    assert_int_equal(tmpfs_unlink(tmpfs, root, "d", 1, false), -ARAMID_EISDIR);
    assert_int_equal(tmpfs_unlink(tmpfs, dir, "f", 1, true), -ARAMID_ENOTDIR);
    assert_int_equal(tmpfs_link(tmpfs, root, "g", 1, inner), 0);
    assert_int_equal(tmpfs->inodes[inner].nlink, 2);
    assert_int_equal(tmpfs_link(tmpfs, root, "h", 1, dir), -ARAMID_EPERM);
    assert_int_equal(tmpfs_unlink(tmpfs, dir, "f", 1, false), 0);
    assert_int_equal(tmpfs->inodes[inner].nlink, 1);
    assert_int_equal(tmpfs_unlink(tmpfs, root, "d", 1, true), 0);
    assert_int_equal(tmpfs->inodes[root].nlink, 2);
    assert_null(tmpfs_inode(tmpfs, dir));
}

static void test_data_holes_and_truncate(void **state)
{
    (void)state;
    long file = create(root, "f", TMPFS_S_IFREG | 0644);
    assert_int_equal(tmpfs_write(tmpfs, file, 0, "hello", 5), 5);
    assert_int_equal(tmpfs_write(tmpfs, file, 3 * TMPFS_PAGE_SIZE, "end", 3), 3);
    assert_int_equal(tmpfs->inodes[file].size, 3 * TMPFS_PAGE_SIZE + 3);
    assert_int_equal(tmpfs->inodes[file].pages, 2); /* pages 1 and 2 are a hole */
    char buffer[TMPFS_PAGE_SIZE + 10];
    memset(buffer, 'x', sizeof(buffer));
    assert_int_equal(tmpfs_read(tmpfs, file, TMPFS_PAGE_SIZE - 5, buffer, sizeof(buffer)),
                     (long)sizeof(buffer));
    for (size_t i = 0; i < sizeof(buffer); i++)
        assert_int_equal(buffer[i], 0);
    assert_int_equal(tmpfs_read(tmpfs, file, 1, buffer, 10), 10);
    assert_memory_equal(buffer, "ello\0\0\0\0\0\0", 10);
    assert_int_equal(tmpfs_read(tmpfs, file, 3 * TMPFS_PAGE_SIZE + 3, buffer, 10), 0);
    assert_int_equal(tmpfs_truncate(tmpfs, file, 2), 0);
    assert_int_equal(tmpfs->inodes[file].pages, 1);
    assert_int_equal(tmpfs_truncate(tmpfs, file, 100), 0);
    assert_int_equal(tmpfs_read(tmpfs, file, 0, buffer, 100), 100);
    assert_memory_equal(buffer, "he\0\0", 4); /* truncation zeroed the tail */
    assert_int_equal(tmpfs_write(tmpfs, file, TMPFS_FILE_SIZE_MAX, "x", 1), -ARAMID_EFBIG);
    assert_int_equal(tmpfs_read(tmpfs, root, 0, buffer, 1), -ARAMID_EISDIR);
}

static void test_size_limit_gives_enospc(void **state)
{
    (void)state;
    long limited_root;
    long fs = tmpfs_fs_create(tmpfs, 2, &limited_root);
    assert_true(fs > 0);
    long file = create(limited_root, "f", TMPFS_S_IFREG | 0644);
    static char data[3 * TMPFS_PAGE_SIZE];
    assert_int_equal(tmpfs_write(tmpfs, file, 0, data, sizeof(data)), 2 * TMPFS_PAGE_SIZE);
    assert_int_equal(tmpfs_write(tmpfs, file, 2 * TMPFS_PAGE_SIZE, data, 1), -ARAMID_ENOSPC);
    assert_int_equal(tmpfs_write(tmpfs, file, 10, data, 10), 10); /* rewriting needs no page */
    assert_int_equal(tmpfs_truncate(tmpfs, file, 0), 0);
    assert_int_equal(tmpfs->file_systems[fs].pages_used, 0);
    assert_int_equal(tmpfs_write(tmpfs, file, 0, data, TMPFS_PAGE_SIZE), TMPFS_PAGE_SIZE);
    /* Another file system is not counted against this one. */
    long other = create(root, "o", TMPFS_S_IFREG | 0644);
    assert_int_equal(tmpfs_write(tmpfs, other, 0, data, sizeof(data)), (long)sizeof(data));
    assert_int_equal(tmpfs_link(tmpfs, limited_root, "l", 1, other), -ARAMID_EXDEV);
}

static void test_unlinked_open_file_lives_until_closed(void **state)
{
    (void)state;
    long file = create(root, "f", TMPFS_S_IFREG | 0644);
    assert_int_equal(tmpfs_write(tmpfs, file, 0, "data", 4), 4);
    tmpfs_open(tmpfs, file);
    assert_int_equal(tmpfs_unlink(tmpfs, root, "f", 1, false), 0);
    char buffer[4];
    assert_int_equal(tmpfs_read(tmpfs, file, 0, buffer, 4), 4);
    assert_int_equal(tmpfs->inodes[file].nlink, 0);
    tmpfs_close(tmpfs, file);
    assert_null(tmpfs_inode(tmpfs, file));
    assert_int_equal(vfs_test_pages_live, 0);
}

static void test_cycles_return_every_page(void **state)
{
    (void)state;
    static char data[10000];
    for (int cycle = 0; cycle < 1000; cycle++) {
        long file = create(root, "cycle", TMPFS_S_IFREG | 0644);
        assert_true(file > 0);
        assert_int_equal(tmpfs_write(tmpfs, file, cycle, data, sizeof(data)), sizeof(data));
        assert_int_equal(tmpfs_unlink(tmpfs, root, "cycle", 5, false), 0);
    }
    assert_int_equal(vfs_test_pages_live, 0);
    assert_int_equal(tmpfs->file_systems[0].pages_used, 0);
}

static void test_rename_rules(void **state)
{
    (void)state;
    long a = create(root, "a", TMPFS_S_IFREG | 0644);
    long b = create(root, "b", TMPFS_S_IFREG | 0644);
    long d = create(root, "d", TMPFS_S_IFDIR | 0755);
    long e = create(root, "e", TMPFS_S_IFDIR | 0755);
    long sub = create(d, "sub", TMPFS_S_IFDIR | 0755);
    assert_int_equal(tmpfs_rename(tmpfs, root, "a", 1, root, "b", 1), 0); /* over a file */
    assert_int_equal(tmpfs_lookup(tmpfs, root, "b", 1), a);
    assert_null(tmpfs_inode(tmpfs, b));
    assert_int_equal(tmpfs_lookup(tmpfs, root, "a", 1), -ARAMID_ENOENT);
    assert_int_equal(tmpfs_rename(tmpfs, root, "b", 1, root, "d", 1), -ARAMID_EISDIR);
    assert_int_equal(tmpfs_rename(tmpfs, root, "d", 1, root, "b", 1), -ARAMID_ENOTDIR);
    assert_int_equal(tmpfs_rename(tmpfs, root, "d", 1, sub, "x", 1), -ARAMID_EINVAL);
    assert_int_equal(tmpfs_rename(tmpfs, root, "d", 1, d, "x", 1), -ARAMID_EINVAL);
    create(e, "full", TMPFS_S_IFREG);
    assert_int_equal(tmpfs_rename(tmpfs, root, "d", 1, root, "e", 1), -ARAMID_ENOTEMPTY);
    assert_int_equal(tmpfs_unlink(tmpfs, e, "full", 4, false), 0);
    unsigned links = tmpfs->inodes[root].nlink;
    assert_int_equal(tmpfs_rename(tmpfs, root, "d", 1, root, "e", 1), 0); /* over empty dir */
    assert_int_equal(tmpfs->inodes[root].nlink, links - 1);
    assert_int_equal(tmpfs_lookup(tmpfs, root, "e", 1), d);
    assert_int_equal(tmpfs_rename(tmpfs, d, "sub", 3, root, "top", 3), 0);
    assert_int_equal(tmpfs->inodes[sub].parent, root);
    assert_int_equal(tmpfs->inodes[d].nlink, 2);
    assert_int_equal(tmpfs_rename(tmpfs, root, "nothing", 7, root, "x", 1), -ARAMID_ENOENT);
}

struct listing {
    char names[16][TMPFS_NAME_MAX + 1];
    int count;
    int room;
};

static int emit(void *context, long inode, unsigned type, const char *name, size_t length,
                unsigned long next)
{
    struct listing *listing = context;
    (void)inode, (void)type, (void)next;
    if (listing->count >= listing->room)
        return 1;
    memcpy(listing->names[listing->count], name, length);
    listing->names[listing->count][length] = '\0';
    listing->count++;
    return 0;
}

static void test_readdir_resumes_at_cookie(void **state)
{
    (void)state;
    create(root, "one", TMPFS_S_IFREG);
    create(root, "two", TMPFS_S_IFREG);
    unsigned long cookie = 0;
    struct listing first = {.room = 3};
    assert_int_equal(tmpfs_readdir(tmpfs, root, &cookie, emit, &first), 3);
    assert_string_equal(first.names[0], ".");
    assert_string_equal(first.names[1], "..");
    assert_string_equal(first.names[2], "one");
    struct listing rest = {.room = 16};
    assert_int_equal(tmpfs_readdir(tmpfs, root, &cookie, emit, &rest), 1);
    assert_string_equal(rest.names[0], "two");
    assert_int_equal(tmpfs_readdir(tmpfs, root, &cookie, emit, &rest), 0);
    long file = tmpfs_lookup(tmpfs, root, "one", 3);
    assert_int_equal(tmpfs_readdir(tmpfs, file, &cookie, emit, &rest), -ARAMID_ENOTDIR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_lookup_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_directory_link_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_data_holes_and_truncate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_limit_gives_enospc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unlinked_open_file_lives_until_closed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cycles_return_every_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rename_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window_holds_the_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window_hears_the_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window_keeps_the_page_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readdir_resumes_at_cookie, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
