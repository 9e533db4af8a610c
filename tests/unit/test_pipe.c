/* Host tests for the pipe ring in servers/vfs/pipe.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include <aramid/errno.h>

#include "pipe.h"
#include "vfs_memory.h"

static struct pipe pipe;

static int setup(void **state)
{
    (void)state;
    pipe_init(&pipe);
    pipe.readers = pipe.writers = 1;
    vfs_test_pages_live = 0;
    return 0;
}

static long put(const void *data, size_t length)
{
    return pipe_write(&pipe, data, length, vfs_test_page_alloc, NULL);
}

static void test_bytes_come_out_in_order_across_the_wrap(void **state)
{
    (void)state;
    static unsigned char in[PIPE_CAPACITY], out[PIPE_CAPACITY];
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (unsigned char)(i * 7 + 3);
    assert_int_equal(put(in, 1000), 1000);
    assert_int_equal(pipe_read(&pipe, out, 999), 999); /* head now at 999 */
    assert_int_equal(pipe_read(&pipe, out, 1), 1);
    assert_int_equal(put(in, 999), 999);
    assert_int_equal(pipe_read(&pipe, out, 998), 998); /* empty again: head 0, one byte left */
    assert_int_equal(pipe_read(&pipe, out, 1), 1);
    assert_int_equal(put(in, 70000 - PIPE_CAPACITY + 100), 70000 - PIPE_CAPACITY + 100);
    assert_int_equal(pipe_read(&pipe, out, 5000), 70000 - PIPE_CAPACITY + 100);
    size_t written = 0, read = 0;
    while (read < sizeof(in)) {
        long n = put(in + written, sizeof(in) - written);
        if (n > 0)
            written += (size_t)n;
        long m = pipe_read(&pipe, out + read, 5000);
        assert_true(m > 0);
        read += (size_t)m;
    }
    assert_memory_equal(in, out, sizeof(in));
    assert_int_equal(pipe_readable(&pipe), written - read);
    pipe_release(&pipe, vfs_test_page_free, NULL);
    assert_int_equal(vfs_test_pages_live, 0);
}

static void test_full_empty_eof_and_epipe(void **state)
{
    (void)state;
    static char data[PIPE_CAPACITY + 10];
    char buffer[16];
    assert_int_equal(pipe_read(&pipe, buffer, sizeof(buffer)), -ARAMID_EAGAIN);
    assert_int_equal(put(data, sizeof(data)), PIPE_CAPACITY); /* a big write goes in part */
    assert_int_equal(put(data, 1), -ARAMID_EAGAIN);
    assert_int_equal(pipe_writable(&pipe), 0);
    assert_int_equal(pipe_read(&pipe, buffer, 10), 10);
    assert_int_equal(put(data, 11), -ARAMID_EAGAIN); /* atomic: all or nothing */
    assert_int_equal(put(data, 10), 10);
    pipe.writers = 0;
    static char drain[PIPE_CAPACITY];
    assert_int_equal(pipe_read(&pipe, drain, sizeof(drain)), PIPE_CAPACITY);
    assert_int_equal(pipe_read(&pipe, buffer, sizeof(buffer)), 0); /* end of file */
    pipe.writers = 1;
    pipe.readers = 0;
    assert_int_equal(put(data, 1), -ARAMID_EPIPE);
    pipe_release(&pipe, vfs_test_page_free, NULL);
    assert_int_equal(vfs_test_pages_live, 0);
}

static void test_atomic_writes_never_interleave(void **state)
{
    (void)state;
    /* Fill to leave 4000 bytes of room: a PIPE_BUF write waits; a smaller one goes in. */
    static char data[PIPE_CAPACITY];
    assert_int_equal(put(data, PIPE_CAPACITY - 4000), PIPE_CAPACITY - 4000);
    assert_int_equal(put(data, PIPE_ATOMIC), -ARAMID_EAGAIN);
    assert_int_equal(put(data, 4000), 4000);
    pipe_release(&pipe, vfs_test_page_free, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_bytes_come_out_in_order_across_the_wrap, setup),
        cmocka_unit_test_setup(test_full_empty_eof_and_epipe, setup),
        cmocka_unit_test_setup(test_atomic_writes_never_interleave, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
