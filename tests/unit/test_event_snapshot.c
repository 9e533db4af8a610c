/* Host tests for the epoll snapshot seqlock (libsys/event_snapshot.c), a scribbled page included. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <aramid/proto/event.h>

static union {
    unsigned char bytes[4096 - ARAMID_EVENT_SNAPSHOT_OFFSET];
    struct aramid_event_snapshot snapshot;
} page;

static void test_written_then_read(void **state)
{
    (void)state;
    memset(&page, 0, sizeof(page));
    struct aramid_event_record out[ARAMID_EVENT_SNAPSHOT_MAX];
    /* A fresh page (all zero) says: nothing ready. */
    assert_int_equal(aramid_event_snapshot_read(&page.snapshot, out, 4), 0);
    unsigned long sequence = 0;
    struct aramid_event_record records[3] = {{1, 11}, {4, 22}, {5, 33}};
    aramid_event_snapshot_write(&page.snapshot, &sequence, records, 3);
    assert_int_equal(sequence, 2);
    assert_int_equal(aramid_event_snapshot_read(&page.snapshot, out, 3), 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(out[i].events, records[i].events);
        assert_int_equal(out[i].data, records[i].data);
    }
    /* More than the caller has room for: the server decides (its round robin). */
    assert_int_equal(aramid_event_snapshot_read(&page.snapshot, out, 2), -1);
    aramid_event_snapshot_write(&page.snapshot, &sequence, NULL, -1);
    assert_int_equal(aramid_event_snapshot_read(&page.snapshot, out, 8), -1);
    aramid_event_snapshot_write(&page.snapshot, &sequence, NULL, 0);
    assert_int_equal(aramid_event_snapshot_read(&page.snapshot, out, 8), 0);
}

static void test_scribbled_page_sends_to_server(void **state)
{
    (void)state;
    struct aramid_event_record out[ARAMID_EVENT_SNAPSHOT_MAX];
    unsigned long sequence = 0;
    struct aramid_event_record one = {1, 7};
    aramid_event_snapshot_write(&page.snapshot, &sequence, &one, 1);
    /* A write under way (odd sequence). */
    page.snapshot.sequence = 5;
    assert_int_equal(aramid_event_snapshot_read(&page.snapshot, out, 8), -1);
    /* Counts past the page, or huge: never read beyond the records. */
    page.snapshot.sequence = 6;
    unsigned long counts[] = {ARAMID_EVENT_SNAPSHOT_MAX + 1, ~0ul, 1ul << 63};
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        page.snapshot.count = counts[i];
        assert_int_equal(aramid_event_snapshot_read(&page.snapshot, out,
                                                    (long)ARAMID_EVENT_SNAPSHOT_MAX + 8),
                         -1);
    }
    /* The largest legal count reads only inside the page. */
    page.snapshot.count = ARAMID_EVENT_SNAPSHOT_MAX;
    assert_int_equal(aramid_event_snapshot_read(&page.snapshot, out, ARAMID_EVENT_SNAPSHOT_MAX),
                     (long)ARAMID_EVENT_SNAPSHOT_MAX);
    assert_int_equal(aramid_event_snapshot_read(&page.snapshot, out, -3), -1);
    /* The server writes from its own sequence: a scribbled one does not confuse it. */
    page.snapshot.sequence = 12345;
    aramid_event_snapshot_write(&page.snapshot, &sequence, &one, 1);
    assert_int_equal(page.snapshot.sequence, sequence);
    assert_int_equal(aramid_event_snapshot_read(&page.snapshot, out, 1), 1);
    assert_int_equal(out[0].data, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_written_then_read),
        cmocka_unit_test(test_scribbled_page_sends_to_server),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
