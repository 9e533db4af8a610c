/* Intrusive circular doubly linked lists: embed struct list_node, get the owner via list_entry. */
#ifndef ARAMID_LIST_H
#define ARAMID_LIST_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A list is a sentinel head node; an empty list's head points to itself both ways.
 * A node that is on no list has been passed to list_node_init or list_remove, so
 * both of its links point to itself and list_node_is_linked is false.
 */
struct list_node {
    struct list_node *prev;
    struct list_node *next;
};

#define list_entry(node, type, member) ((type *)(void *)((char *)(node)-offsetof(type, member)))

#define list_for_each(iter, head)                                                                  \
    for ((iter) = (head)->next; (iter) != (head); (iter) = (iter)->next)

static inline void list_init(struct list_node *head)
{
    head->prev = head;
    head->next = head;
}

static inline void list_node_init(struct list_node *node)
{
    list_init(node);
}

static inline bool list_is_empty(const struct list_node *head)
{
    return head->next == head;
}

static inline bool list_node_is_linked(const struct list_node *node)
{
    return node->next != node;
}

/* Links node between two adjacent nodes; node must not be on any list. */
static inline void list_insert_between(struct list_node *node, struct list_node *prev,
                                       struct list_node *next)
{
    node->prev = prev;
    node->next = next;
    prev->next = node;
    next->prev = node;
}

static inline void list_push_front(struct list_node *head, struct list_node *node)
{
    list_insert_between(node, head, head->next);
}

static inline void list_push_back(struct list_node *head, struct list_node *node)
{
    list_insert_between(node, head->prev, head);
}

/* Unlinks node from whatever list holds it and leaves it self-linked. */
static inline void list_remove(struct list_node *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    list_node_init(node);
}

/* Returns the first node of head, or NULL if the list is empty. */
static inline struct list_node *list_first(const struct list_node *head)
{
    return list_is_empty(head) ? NULL : head->next;
}

/* Unlinks and returns the first node of head, or NULL if the list is empty. */
static inline struct list_node *list_pop_front(struct list_node *head)
{
    struct list_node *node = list_first(head);

    if (node != NULL) {
        list_remove(node);
    }
    return node;
}

#endif /* ARAMID_LIST_H */
