/* Intrusive AVL trees keyed by a 64-bit value: O(log n) insert, remove and ordered lookups. */
#ifndef ARAMID_AVL_TREE_H
#define ARAMID_AVL_TREE_H

#include <stdint.h>

/*
 * Embed struct avl_node and get the owner back with list_entry-style offsetof arithmetic.
 * Keys are unique within a tree. A node's key may be changed in place only if that keeps its
 * order among the other keys (the address-space regions move their starts this way).
 * Invariants: the heights of a node's two subtrees differ by at most 1; height is 1 for a
 * leaf; parent is NULL only for the root. Locking: the owner's (the address space's).
 */
struct avl_node {
    struct avl_node *left;
    struct avl_node *right;
    struct avl_node *parent;
    int height;
    uint64_t key;
};

struct avl_tree {
    struct avl_node *root;
};

static inline void avl_tree_init(struct avl_tree *tree)
{
    tree->root = 0;
}

/* Links node (its key set, unique in tree) into tree. */
void avl_insert(struct avl_tree *tree, struct avl_node *node);
/* Unlinks node, which must be in tree. */
void avl_remove(struct avl_tree *tree, struct avl_node *node);
/* The node with the greatest key <= key, or NULL. */
struct avl_node *avl_find_at_or_before(const struct avl_tree *tree, uint64_t key);
/* The node with the smallest key, or NULL. */
struct avl_node *avl_first(const struct avl_tree *tree);
/* The node after node in key order, or NULL. */
struct avl_node *avl_next(const struct avl_node *node);

#endif
