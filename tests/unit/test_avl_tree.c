/* cmocka tests for the AVL tree (ukernel/lib/avl_tree.c): order, balance and parent links
 * after every insert and remove, ordered lookups against a brute-force model. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "avl_tree.h"

#define NODES 4096

static struct avl_node nodes[NODES];
static int present[NODES];

/* Checks the subtree below node: links, order within (low, high], heights; returns its height
 * and adds its size to *count. */
static int check_subtree(const struct avl_node *node, const struct avl_node *parent,
                         uint64_t low, uint64_t high, int has_low, size_t *count)
{
    if (node == NULL)
        return 0;
    assert_ptr_equal(node->parent, parent);
    if (has_low)
        assert_true(node->key > low);
    assert_true(node->key <= high);
    int left = check_subtree(node->left, node, low, node->key - 1, has_low, count);
    int right = check_subtree(node->right, node, node->key, high, 1, count);
    assert_true(left - right <= 1 && right - left <= 1);
    int height = 1 + (left > right ? left : right);
    assert_int_equal(node->height, height);
    (*count)++;
    return height;
}

static void check_tree(const struct avl_tree *tree, size_t expected)
{
    size_t count = 0;
    int height = check_subtree(tree->root, NULL, 0, UINT64_MAX, 0, &count);
    assert_int_equal(count, expected);
    /* AVL: height < 1.45 log2(n + 2) */
    int bound = 2;
    for (size_t n = expected + 2; n > 1; n >>= 1)
        bound++;
    assert_true(height <= bound * 3 / 2);
    /* In order, avl_first/avl_next visit exactly the present keys, ascending. */
    size_t visited = 0;
    uint64_t last = 0;
    for (const struct avl_node *node = avl_first(tree); node != NULL; node = avl_next(node)) {
        if (visited > 0)
            assert_true(node->key > last);
        last = node->key;
        visited++;
    }
    assert_int_equal(visited, expected);
}

/* Keys are index * 10, so lookups between keys have a known answer. */
static void test_random_inserts_and_removes(void **state)
{
    (void)state;
    struct avl_tree tree;
    avl_tree_init(&tree);
    memset(present, 0, sizeof(present));
    srand(11);
    size_t live = 0;
    for (int round = 0; round < 40000; round++) {
        int i = rand() % NODES;
        if (present[i]) {
            avl_remove(&tree, &nodes[i]);
            present[i] = 0;
            live--;
        } else {
            nodes[i].key = (uint64_t)i * 10;
            avl_insert(&tree, &nodes[i]);
            present[i] = 1;
            live++;
        }
        if (round % 997 == 0)
            check_tree(&tree, live);
        /* A lookup anywhere: the greatest present key <= probe. */
        uint64_t probe = (uint64_t)(rand() % (NODES * 10 + 20));
        struct avl_node *found = avl_find_at_or_before(&tree, probe);
        int expected = -1;
        for (int k = (int)(probe / 10 < NODES ? probe / 10 : NODES - 1); k >= 0; k--)
            if (present[k]) {
                expected = k;
                break;
            }
        if (expected < 0)
            assert_null(found);
        else
            assert_ptr_equal(found, &nodes[expected]);
    }
    check_tree(&tree, live);
}

/* Ascending and descending runs, the worst case for an unbalanced tree. */
static void test_sorted_runs_stay_balanced(void **state)
{
    (void)state;
    struct avl_tree tree;
    avl_tree_init(&tree);
    for (int i = 0; i < NODES; i++) {
        nodes[i].key = (uint64_t)i;
        avl_insert(&tree, &nodes[i]);
    }
    check_tree(&tree, NODES);
    for (int i = 0; i < NODES; i += 2)
        avl_remove(&tree, &nodes[i]);
    check_tree(&tree, NODES / 2);
    for (int i = NODES - 1; i >= 0; i -= 2)
        avl_remove(&tree, &nodes[i]);
    check_tree(&tree, 0);
    assert_null(tree.root);
    assert_null(avl_first(&tree));
    assert_null(avl_find_at_or_before(&tree, 5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_inserts_and_removes),
        cmocka_unit_test(test_sorted_runs_stay_balanced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
