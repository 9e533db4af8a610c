/* Host tests for the AF_UNIX queues in servers/sock/sockbuf.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <aramid/errno.h>

#include "sockbuf.h"

static size_t bytes_live;

void *sockbuf_memory_alloc(size_t bytes)
{
    bytes_live += bytes;
    return malloc(bytes);
}

void sockbuf_memory_free(void *memory, size_t bytes)
{
    bytes_live -= bytes;
    free(memory);
}

static int released;
static void release(long attachment)
{
    released += (int)attachment;
}

static void test_stream_allocates_late_and_wraps(void **state)
{
    (void)state;
    struct sockbuf buffer;
    struct sockbuf_read_info info;
    char out[8192];
    sockbuf_init(&buffer, SOCKBUF_STREAM, SOCKBUF_CAPACITY_MIN);
    assert_null(buffer.data);
    assert_int_equal(bytes_live, 0);
    assert_int_equal(sockbuf_read(&buffer, out, 10, 0, &info), -ARAMID_EAGAIN);
    static char big[5000];
    memset(big, 'x', sizeof(big));
    assert_int_equal(sockbuf_write(&buffer, big, sizeof(big), 0, 0), 4096); /* as much as fits */
    assert_int_equal(sockbuf_write(&buffer, "y", 1, 0, 0), -ARAMID_EAGAIN);
    assert_false(sockbuf_writable(&buffer));
    assert_int_equal(sockbuf_read(&buffer, out, 4000, 0, &info), 4000);
    assert_int_equal(sockbuf_write(&buffer, "hello", 5, 0, 0), 5); /* wraps around */
    assert_int_equal(sockbuf_read(&buffer, out, sizeof(out), 0, &info), 101);
    assert_memory_equal(out + 96, "hello", 5);
    assert_int_equal(sockbuf_write(&buffer, "", 0, 0, 0), 0);
    sockbuf_destroy(&buffer, release);
    assert_int_equal(bytes_live, 0);
}

static void test_stream_peek_and_merge(void **state)
{
    (void)state;
    struct sockbuf buffer;
    struct sockbuf_read_info info;
    char out[16];
    sockbuf_init(&buffer, SOCKBUF_STREAM, SOCKBUF_CAPACITY_DEFAULT);
    assert_int_equal(sockbuf_write(&buffer, "ab", 2, 0, 0), 2);
    assert_int_equal(sockbuf_write(&buffer, "cd", 2, 0, 0), 2);
    assert_int_equal(sockbuf_read(&buffer, out, 16, SOCKBUF_PEEK, &info), 4);
    assert_int_equal(sockbuf_read(&buffer, out, 16, 0, &info), 4); /* no boundaries */
    assert_memory_equal(out, "abcd", 4);
    sockbuf_destroy(&buffer, release);
}

static void test_stream_attachment_at_its_byte(void **state)
{
    (void)state;
    struct sockbuf buffer;
    struct sockbuf_read_info info;
    char out[16];
    sockbuf_init(&buffer, SOCKBUF_STREAM, SOCKBUF_CAPACITY_DEFAULT);
    assert_int_equal(sockbuf_write(&buffer, "ab", 2, 0, 0), 2);
    assert_int_equal(sockbuf_write(&buffer, "cd", 2, 7, 0), 2);
    assert_int_equal(sockbuf_write(&buffer, "ef", 2, 0, 0), 2);
    /* The read runs into the attached record, delivers its descriptors and stops at its end. */
    assert_int_equal(sockbuf_read(&buffer, out, 16, 0, &info), 4);
    assert_int_equal(info.attachment, 7);
    assert_int_equal(sockbuf_read(&buffer, out, 16, 0, &info), 2);
    assert_int_equal(info.attachment, 0);
    /* An attachment still queued is released with the socket. */
    assert_int_equal(sockbuf_write(&buffer, "gh", 2, 5, 0), 2);
    released = 0;
    sockbuf_destroy(&buffer, release);
    assert_int_equal(released, 5);
}

static void test_dgram_boundaries_and_trunc(void **state)
{
    (void)state;
    struct sockbuf buffer;
    struct sockbuf_read_info info;
    char out[16];
    sockbuf_init(&buffer, SOCKBUF_DGRAM, SOCKBUF_CAPACITY_MIN);
    assert_int_equal(sockbuf_write(&buffer, "one", 3, 0, 11), 3);
    assert_int_equal(sockbuf_write(&buffer, "", 0, 0, 12), 0); /* an empty datagram counts */
    assert_int_equal(sockbuf_write(&buffer, "three", 5, 0, 13), 5);
    assert_int_equal(sockbuf_read(&buffer, out, 16, SOCKBUF_PEEK, &info), 3);
    assert_int_equal(sockbuf_read(&buffer, out, 2, 0, &info), 2);
    assert_int_equal(info.full_length, 3); /* MSG_TRUNC's length */
    assert_int_equal(info.sender, 11);
    assert_true(sockbuf_readable(&buffer));
    assert_int_equal(sockbuf_read(&buffer, out, 16, 0, &info), 0);
    assert_int_equal(info.sender, 12);
    assert_int_equal(sockbuf_read(&buffer, out, 16, 0, &info), 5);
    assert_memory_equal(out, "three", 5);
    assert_int_equal(sockbuf_read(&buffer, out, 16, 0, &info), -ARAMID_EAGAIN);
    static char big[SOCKBUF_CAPACITY_MIN + 1];
    assert_int_equal(sockbuf_write(&buffer, big, sizeof(big), 0, 0), -ARAMID_EMSGSIZE);
    assert_int_equal(sockbuf_write(&buffer, big, 4000, 0, 0), 4000);
    assert_int_equal(sockbuf_write(&buffer, big, 100, 0, 0), -ARAMID_EAGAIN); /* all or none */
    sockbuf_destroy(&buffer, release);
    assert_int_equal(bytes_live, 0);
}

static void test_seqpacket_records_limit(void **state)
{
    (void)state;
    struct sockbuf buffer;
    struct sockbuf_read_info info;
    char out[4];
    sockbuf_init(&buffer, SOCKBUF_SEQPACKET, SOCKBUF_CAPACITY_MAX);
    for (unsigned i = 0; i < SOCKBUF_RECORDS_MAX; i++)
        assert_int_equal(sockbuf_write(&buffer, "r", 1, 0, 0), 1);
    assert_int_equal(sockbuf_write(&buffer, "r", 1, 0, 0), -ARAMID_EAGAIN);
    assert_false(sockbuf_writable(&buffer));
    assert_int_equal(sockbuf_read(&buffer, out, 4, 0, &info), 1);
    assert_int_equal(sockbuf_write(&buffer, "r", 1, 0, 0), 1);
    sockbuf_destroy(&buffer, release);
}

static void test_backlog(void **state)
{
    (void)state;
    assert_int_equal(sockbuf_backlog_clamp(-1), SOCKBUF_SOMAXCONN);
    assert_int_equal(sockbuf_backlog_clamp(100000), SOCKBUF_SOMAXCONN);
    assert_int_equal(sockbuf_backlog_clamp(0), 0);
    assert_false(sockbuf_backlog_full(0, 0));
    assert_true(sockbuf_backlog_full(0, 1));
    assert_false(sockbuf_backlog_full(2, 2));
    assert_true(sockbuf_backlog_full(2, 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_allocates_late_and_wraps),
        cmocka_unit_test(test_stream_peek_and_merge),
        cmocka_unit_test(test_stream_attachment_at_its_byte),
        cmocka_unit_test(test_dgram_boundaries_and_trunc),
        cmocka_unit_test(test_seqpacket_records_limit),
        cmocka_unit_test(test_backlog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
