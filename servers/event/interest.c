/* epoll interest sets: Linux's epoll rules (fs/eventpoll.c) over intrusive lists, no IPC. */
#include "interest.h"

#include <aramid/errno.h>
#include <aramid/proto/ready.h>

/* The bits an item reports now: its object's readiness meeting what it asked for. */
static uint32_t item_fire(const struct interest_item *item)
{
    uint32_t wanted = (item->events & ~EPOLL_FLAGS) | ARAMID_POLL_ALWAYS;
    return item->object->ready & wanted;
}

static void set_changed(struct interest_set *set)
{
    if (set->on_change != NULL)
        set->on_change(set);
}

static void ready_push(struct interest_set *set, struct interest_item *item)
{
    set_changed(set);
    item->ready_next = NULL;
    item->ready_prev = set->ready_tail;
    if (set->ready_tail != NULL)
        set->ready_tail->ready_next = item;
    else
        set->ready_head = item;
    set->ready_tail = item;
    item->queued = true;
    set->ready_count++;
}

static void ready_remove(struct interest_set *set, struct interest_item *item)
{
    set_changed(set);
    if (item->ready_prev != NULL)
        item->ready_prev->ready_next = item->ready_next;
    else
        set->ready_head = item->ready_next;
    if (item->ready_next != NULL)
        item->ready_next->ready_prev = item->ready_prev;
    else
        set->ready_tail = item->ready_prev;
    item->ready_prev = item->ready_next = NULL;
    item->queued = false;
    set->ready_count--;
}

/* The set as an object is readable while its ready list is not empty; tells the sets it sits
 * in (bounded by the nesting limit: no cycles exist). */
static void set_refresh(struct interest_set *set, bool event)
{
    uint32_t ready = set->ready_count != 0 ? (ARAMID_POLLIN | ARAMID_POLLRDNORM) : 0;
    bool changed = ready != set->self.ready;
    if (changed || (event && ready != 0))
        interest_object_update(&set->self, ready, event);
    if (changed && set->on_ready != NULL)
        set->on_ready(set);
}

/* Puts item where the set invariant wants it; event re-arms EPOLLET. Returns true when it
 * joined the ready list. */
static bool item_evaluate(struct interest_item *item, bool event)
{
    struct interest_set *set = item->set;
    uint32_t fire = item_fire(item);
    if (item->disabled || fire == 0) {
        if (item->queued) {
            ready_remove(set, item);
            set_refresh(set, false);
        }
        return false;
    }
    if (item->queued) {
        set_changed(set); /* its bits or its interest may differ */
        return event;     /* already reported as ready; an event still wakes waiters */
    }
    if ((item->events & (EPOLL_FLAG_ET | EPOLL_FLAG_EXCLUSIVE)) && !event)
        return false; /* edge-triggered and exclusive items are queued by events only */
    ready_push(set, item);
    return true;
}

void interest_object_init(struct interest_object *object, uint32_t ready)
{
    object->ready = ready;
    object->items = NULL;
    object->set = NULL;
}

void interest_set_init(struct interest_set *set)
{
    *set = (struct interest_set){0};
    interest_object_init(&set->self, 0);
    set->self.set = set;
}

struct interest_item *interest_find(struct interest_set *set, struct interest_object *object,
                                    int fd)
{
    for (struct interest_item *item = object->items; item != NULL; item = item->object_next)
        if (item->set == set && item->fd == fd)
            return item;
    return NULL;
}

/* The longest chain of epoll-in-epoll edges below object (0 for a plain object); bounded. */
static int interest_depth_down(const struct interest_object *object, int limit)
{
    if (object->set == NULL || limit < 0)
        return 0;
    int depth = 0;
    for (const struct interest_item *item = object->set->items; item != NULL;
         item = item->set_next)
        if (item->object->set != NULL) {
            int below = 1 + interest_depth_down(item->object, limit - 1);
            if (below > depth)
                depth = below;
        }
    return depth;
}

/* The longest chain of sets above set. */
static int interest_depth_up(const struct interest_set *set, int limit)
{
    if (limit < 0)
        return 0;
    int depth = 0;
    for (const struct interest_item *item = set->self.items; item != NULL;
         item = item->object_next) {
        int above = 1 + interest_depth_up(item->set, limit - 1);
        if (above > depth)
            depth = above;
    }
    return depth;
}

/* True when set can be reached going down from object (adding object would close a loop). */
static bool interest_reaches(const struct interest_object *object, const struct interest_set *set,
                             int limit)
{
    if (object->set == NULL || limit < 0)
        return false;
    if (object->set == set)
        return true;
    for (const struct interest_item *item = object->set->items; item != NULL;
         item = item->set_next)
        if (interest_reaches(item->object, set, limit - 1))
            return true;
    return false;
}

static void item_unlink(struct interest_item *item)
{
    struct interest_set *set = item->set;
    struct interest_object *object = item->object;
    if (item->queued)
        ready_remove(set, item);
    if (item->object_prev != NULL)
        item->object_prev->object_next = item->object_next;
    else
        object->items = item->object_next;
    if (item->object_next != NULL)
        item->object_next->object_prev = item->object_prev;
    if (item->set_prev != NULL)
        item->set_prev->set_next = item->set_next;
    else
        set->items = item->set_next;
    if (item->set_next != NULL)
        item->set_next->set_prev = item->set_prev;
    set->count--;
    interest_item_free(item);
}

static long interest_add(struct interest_set *set, struct interest_object *object, int fd,
                         uint32_t events, uint64_t data)
{
    if (interest_find(set, object, fd) != NULL)
        return -ARAMID_EEXIST;
    if (object->set != NULL) {
        if (events & EPOLL_FLAG_EXCLUSIVE)
            return -ARAMID_EINVAL;
        if (interest_reaches(object, set, EPOLL_MAX_NESTS + 1))
            return -ARAMID_ELOOP;
        int down = interest_depth_down(object, EPOLL_MAX_NESTS + 1);
        int up = interest_depth_up(set, EPOLL_MAX_NESTS + 1);
        if (down + 1 + up > EPOLL_MAX_NESTS)
            return -ARAMID_ELOOP;
    }
    struct interest_item *item = interest_item_alloc();
    if (item == NULL)
        return -ARAMID_ENOMEM;
    *item = (struct interest_item){.set = set, .object = object, .fd = fd, .events = events,
                                   .data = data};
    item->object_next = object->items;
    if (object->items != NULL)
        object->items->object_prev = item;
    object->items = item;
    item->set_next = set->items;
    if (set->items != NULL)
        set->items->set_prev = item;
    set->items = item;
    set->count++;
    /* Linux polls the file at ADD: a ready object is reported at once, ET included. */
    if (item_evaluate(item, true))
        set_refresh(set, true);
    return 0;
}

long interest_control(struct interest_set *set, int op, struct interest_object *object, int fd,
                      uint32_t events, uint64_t data)
{
    if (object == &set->self)
        return -ARAMID_EINVAL;
    if (op != EPOLL_OP_ADD && op != EPOLL_OP_MOD && op != EPOLL_OP_DEL)
        return -ARAMID_EINVAL;
    if (op != EPOLL_OP_DEL && (events & EPOLL_FLAG_EXCLUSIVE)) {
        if (op == EPOLL_OP_MOD || (events & EPOLL_FLAG_ONESHOT))
            return -ARAMID_EINVAL;
    }
    if (op == EPOLL_OP_ADD)
        return interest_add(set, object, fd, events, data);
    struct interest_item *item = interest_find(set, object, fd);
    if (item == NULL)
        return -ARAMID_ENOENT;
    if (op == EPOLL_OP_DEL) {
        item_unlink(item);
        set_refresh(set, false);
        return 0;
    }
    if (item->events & EPOLL_FLAG_EXCLUSIVE)
        return -ARAMID_EINVAL; /* Linux: an exclusive item cannot be modified */
    item->events = events;
    item->data = data;
    item->disabled = false;
    if (item->queued)
        ready_remove(set, item);
    item_evaluate(item, true); /* MOD re-polls, re-arming ET and ONESHOT */
    set_refresh(set, false);
    return 0;
}

void interest_object_update(struct interest_object *object, uint32_t ready, bool event)
{
    object->ready = ready;
    bool exclusive_woken = false;
    struct interest_item *next;
    for (struct interest_item *item = object->items; item != NULL; item = next) {
        next = item->object_next;
        bool exclusive = (item->events & EPOLL_FLAG_EXCLUSIVE) != 0;
        /* EPOLLEXCLUSIVE: an event goes to exclusive items until one reaches a waiter. */
        bool item_event = event && !(exclusive && exclusive_woken);
        bool woke = item_evaluate(item, item_event);
        if (woke)
            set_refresh(item->set, true);
        if (exclusive && item_event && item->queued && item->set->waiting)
            exclusive_woken = true;
    }
}

void interest_object_close(struct interest_object *object)
{
    while (object->items != NULL) {
        struct interest_set *set = object->items->set;
        item_unlink(object->items);
        set_refresh(set, false);
    }
}

size_t interest_collect(struct interest_set *set, struct interest_event *out, size_t max)
{
    size_t count = 0;
    size_t remaining = set->ready_count; /* re-queued items are not visited twice */
    while (count < max && remaining > 0 && set->ready_head != NULL) {
        remaining--;
        struct interest_item *item = set->ready_head;
        ready_remove(set, item);
        uint32_t fire = item_fire(item);
        if (fire == 0 || item->disabled)
            continue;
        out[count].events = fire;
        out[count].data = item->data;
        count++;
        if (item->events & EPOLL_FLAG_ONESHOT)
            item->disabled = true;
        else if (!(item->events & EPOLL_FLAG_ET))
            ready_push(set, item);
    }
    set_refresh(set, false);
    return count;
}

long interest_snapshot(const struct interest_set *set, struct interest_event *out, size_t max)
{
    size_t count = 0;
    for (const struct interest_item *item = set->ready_head; item != NULL;
         item = item->ready_next) {
        uint32_t fire = item_fire(item);
        if (count == max || (item->events & (EPOLL_FLAG_ET | EPOLL_FLAG_ONESHOT |
                                             EPOLL_FLAG_EXCLUSIVE)) ||
            item->disabled || fire == 0)
            return -1;
        out[count].events = fire;
        out[count].data = item->data;
        count++;
    }
    return (long)count;
}

void interest_set_destroy(struct interest_set *set)
{
    while (set->items != NULL)
        item_unlink(set->items);
    set_refresh(set, false);
    interest_object_close(&set->self);
}
