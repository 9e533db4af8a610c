/* Host tests for the CPU-time arithmetic and the CPU-time timers' due rule (cputime.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#define CPUTIME_HOST_ONLY
#include "cputime.h"

static void test_add_splits_user_and_system(void **state)
{
    (void)state;
    struct cputime time = {0, 0};
    cputime_add(&time, 10, true);
    cputime_add(&time, 3, false);
    cputime_add(&time, 5, true);
    assert_int_equal(time.user_ns, 15);
    assert_int_equal(time.system_ns, 3);
    assert_int_equal(cputime_of_kind(&time, CPUTIME_TIMER_VIRTUAL), 15);
    assert_int_equal(cputime_of_kind(&time, CPUTIME_TIMER_PROF), 18);
}

static void test_timer_due_by_kind(void **state)
{
    (void)state;
    struct notification *some = (struct notification *)&state; /* any non-NULL pointer */
    struct cputime time = {.user_ns = 100, .system_ns = 50};
    struct cputime_timer virtual_timer = {.notification = some, .threshold = 120, .bits = 1};
    struct cputime_timer prof_timer = {.notification = some, .threshold = 120, .bits = 1};
    assert_false(cputime_timer_due(&virtual_timer, CPUTIME_TIMER_VIRTUAL, &time));
    assert_true(cputime_timer_due(&prof_timer, CPUTIME_TIMER_PROF, &time)); /* 150 >= 120 */
    time.user_ns = 120;
    assert_true(cputime_timer_due(&virtual_timer, CPUTIME_TIMER_VIRTUAL, &time));
    struct cputime_timer disarmed = {.notification = NULL, .threshold = 0, .bits = 0};
    assert_false(cputime_timer_due(&disarmed, CPUTIME_TIMER_PROF, &time));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_splits_user_and_system),
        cmocka_unit_test(test_timer_due_by_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
