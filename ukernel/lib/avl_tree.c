/* Intrusive AVL trees (avl_tree.h): rotations and rebalancing up the parent links. Pure logic,
 * host-tested in tests/unit/test_avl_tree.c. */
#include <stddef.h>

#include "avl_tree.h"

static int avl_height(const struct avl_node *node)
{
    return node ? node->height : 0;
}

static void avl_update_height(struct avl_node *node)
{
    int left = avl_height(node->left), right = avl_height(node->right);
    node->height = 1 + (left > right ? left : right);
}

/* Makes child take old's place under parent (or at the root). */
static void avl_replace_child(struct avl_tree *tree, struct avl_node *parent,
                              struct avl_node *old, struct avl_node *child)
{
    if (parent == NULL)
        tree->root = child;
    else if (parent->left == old)
        parent->left = child;
    else
        parent->right = child;
    if (child != NULL)
        child->parent = parent;
}

static struct avl_node *avl_rotate_left(struct avl_tree *tree, struct avl_node *x)
{
    struct avl_node *y = x->right;
    x->right = y->left;
    if (y->left != NULL)
        y->left->parent = x;
    avl_replace_child(tree, x->parent, x, y);
    y->left = x;
    x->parent = y;
    avl_update_height(x);
    avl_update_height(y);
    return y;
}

static struct avl_node *avl_rotate_right(struct avl_tree *tree, struct avl_node *x)
{
    struct avl_node *y = x->left;
    x->left = y->right;
    if (y->right != NULL)
        y->right->parent = x;
    avl_replace_child(tree, x->parent, x, y);
    y->right = x;
    x->parent = y;
    avl_update_height(x);
    avl_update_height(y);
    return y;
}

/* Restores heights and balance from node up to the root. */
static void avl_rebalance(struct avl_tree *tree, struct avl_node *node)
{
    while (node != NULL) {
        avl_update_height(node);
        int balance = avl_height(node->left) - avl_height(node->right);
        if (balance > 1) {
            if (avl_height(node->left->left) < avl_height(node->left->right))
                avl_rotate_left(tree, node->left);
            node = avl_rotate_right(tree, node);
        } else if (balance < -1) {
            if (avl_height(node->right->right) < avl_height(node->right->left))
                avl_rotate_right(tree, node->right);
            node = avl_rotate_left(tree, node);
        }
        node = node->parent;
    }
}

void avl_insert(struct avl_tree *tree, struct avl_node *node)
{
    struct avl_node *parent = NULL;
    struct avl_node **link = &tree->root;
    while (*link != NULL) {
        parent = *link;
        link = node->key < parent->key ? &parent->left : &parent->right;
    }
    node->left = node->right = NULL;
    node->parent = parent;
    node->height = 1;
    *link = node;
    avl_rebalance(tree, parent);
}

void avl_remove(struct avl_tree *tree, struct avl_node *node)
{
    struct avl_node *start;
    if (node->left != NULL && node->right != NULL) {
        /* The successor (leftmost of the right subtree, no left child) takes node's place. */
        struct avl_node *successor = node->right;
        while (successor->left != NULL)
            successor = successor->left;
        if (successor->parent == node) {
            start = successor;
        } else {
            start = successor->parent;
            start->left = successor->right;
            if (successor->right != NULL)
                successor->right->parent = start;
            successor->right = node->right;
            successor->right->parent = successor;
        }
        avl_replace_child(tree, node->parent, node, successor);
        successor->left = node->left;
        successor->left->parent = successor;
        successor->height = node->height;
    } else {
        struct avl_node *child = node->left != NULL ? node->left : node->right;
        start = node->parent;
        avl_replace_child(tree, node->parent, node, child);
    }
    node->left = node->right = node->parent = NULL;
    avl_rebalance(tree, start);
}

struct avl_node *avl_find_at_or_before(const struct avl_tree *tree, uint64_t key)
{
    struct avl_node *best = NULL;
    for (struct avl_node *node = tree->root; node != NULL;) {
        if (node->key <= key) {
            best = node;
            node = node->right;
        } else {
            node = node->left;
        }
    }
    return best;
}

struct avl_node *avl_first(const struct avl_tree *tree)
{
    struct avl_node *node = tree->root;
    while (node != NULL && node->left != NULL)
        node = node->left;
    return node;
}

struct avl_node *avl_next(const struct avl_node *node)
{
    if (node->right != NULL) {
        node = node->right;
        while (node->left != NULL)
            node = node->left;
        return (struct avl_node *)node;
    }
    while (node->parent != NULL && node->parent->right == node)
        node = node->parent;
    return node->parent;
}
