/* cmocka tests for memory quotas (ukernel/kern/quota.c) and their charging by address spaces
 * and memory objects (ukernel/kern/vm_space.c, vm_object.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "kerrno.h"
#include "quota.h"

void *kmalloc(size_t size)
{
    return malloc(size);
}

void kfree(void *pointer)
{
    free(pointer);
}

static void test_charge_within_limit(void **state)
{
    (void)state;
    struct quota *quota = quota_create(10);
    assert_non_null(quota);
    assert_int_equal(quota_charge(quota, 6), 0);
    assert_int_equal(quota_charge(quota, 5), -ENOMEM); /* nothing charged */
    assert_int_equal(quota->used, 6);
    assert_int_equal(quota_charge(quota, 4), 0);
    assert_int_equal(quota_charge(quota, 1), -ENOMEM);
    assert_int_equal(quota_charge(quota, UINT64_MAX), -ENOMEM); /* no overflow */
    quota_uncharge(quota, 7);
    assert_int_equal(quota->used, 3);
    /* A limit lowered below what is used only stops new charges. */
    quota->limit = 2;
    assert_int_equal(quota_charge(quota, 0), -ENOMEM);
    quota_uncharge(quota, 3);
    assert_int_equal(quota_charge(quota, 2), 0);
    quota_get(quota);
    quota_put(quota);
    quota_put(quota);
}

static void test_null_is_unlimited(void **state)
{
    (void)state;
    assert_int_equal(quota_charge(NULL, UINT64_MAX), 0);
    quota_uncharge(NULL, 5);
    quota_get(NULL);
    quota_put(NULL);
}

/* Small objects are charged by the byte: a page of quota per 4096 bytes begun. */
static void test_charge_bytes(void **state)
{
    (void)state;
    struct quota *quota = quota_create(2);
    assert_non_null(quota);
    assert_int_equal(quota_charge_bytes(quota, 100), 0);
    assert_int_equal(quota->used, 1);
    assert_int_equal(quota_charge_bytes(quota, 3996), 0); /* fills the first page */
    assert_int_equal(quota->used, 1);
    assert_int_equal(quota_charge_bytes(quota, 4096), 0);
    assert_int_equal(quota->used, 2);
    assert_int_equal(quota_charge_bytes(quota, 1), -ENOMEM); /* a third page: nothing charged */
    assert_int_equal(quota->object_bytes, 8192);
    quota_uncharge_bytes(quota, 100);
    assert_int_equal(quota->used, 2); /* still 8092 bytes: two pages begun */
    quota_uncharge_bytes(quota, 4096);
    assert_int_equal(quota->used, 1);
    assert_int_equal(quota_charge_bytes(quota, 1), 0);
    quota_uncharge_bytes(quota, UINT64_MAX); /* never below nothing */
    assert_int_equal(quota->used, 0);
    assert_int_equal(quota->object_bytes, 0);
    assert_int_equal(quota_charge_bytes(NULL, UINT64_MAX), 0);
    quota_uncharge_bytes(NULL, 1);
    quota_put(quota);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_charge_within_limit),
        cmocka_unit_test(test_null_is_unlimited),
        cmocka_unit_test(test_charge_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
