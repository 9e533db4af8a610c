/* The regions of an address space: a list in address order and an AVL tree keyed by start, so
 * lookups cost O(log n) however many mappings a process has. Pure logic, host-tested. */
#include <stddef.h>

#include "kerrno.h"
#include "memory.h"
#include "vm_region.h"

static struct vm_region *vm_region_of(struct list_node *node)
{
    return list_entry(node, struct vm_region, link);
}

static struct vm_region *vm_region_of_tree(struct avl_node *node)
{
    return node ? list_entry(node, struct vm_region, node) : NULL;
}

void vm_regions_init(struct address_space *space)
{
    list_init(&space->regions);
    avl_tree_init(&space->region_tree);
}

static void vm_region_free(struct vm_region *region)
{
    if (region->object != NULL) {
        list_remove(&region->object_link);
        memory_object_put(region->object);
    }
    kfree(region);
}

void vm_regions_free_all(struct address_space *space)
{
    struct list_node *node;

    while ((node = list_pop_front(&space->regions)) != NULL)
        vm_region_free(vm_region_of(node));
    avl_tree_init(&space->region_tree);
}

/* The region starting at or before address (it may end before it too), or NULL. */
static struct vm_region *vm_region_at_or_before(struct address_space *space, uint64_t address)
{
    return vm_region_of_tree(avl_find_at_or_before(&space->region_tree, address));
}

struct vm_region *vm_region_find(struct address_space *space, uint64_t address)
{
    struct vm_region *region = vm_region_at_or_before(space, address);

    return region != NULL && address < region->end ? region : NULL;
}

struct vm_region *vm_region_first_after(struct address_space *space, uint64_t address)
{
    struct vm_region *region = vm_region_at_or_before(space, address);

    if (region == NULL)
        return list_is_empty(&space->regions) ? NULL : vm_region_of(space->regions.next);
    return region->end > address ? region : vm_region_next(space, region);
}

struct vm_region *vm_region_next(struct address_space *space, struct vm_region *region)
{
    return region->link.next == &space->regions ? NULL : vm_region_of(region->link.next);
}

/* Links region right after prev_node on the list, and into the tree. */
static void vm_region_link(struct address_space *space, struct vm_region *region,
                           struct list_node *prev_node)
{
    list_insert_between(&region->link, prev_node, prev_node->next);
    region->space = space;
    region->node.key = region->start;
    avl_insert(&space->region_tree, &region->node);
}

void vm_region_remove(struct address_space *space, struct vm_region *region)
{
    list_remove(&region->link);
    avl_remove(&space->region_tree, &region->node);
    vm_region_free(region);
}

void vm_region_move_start(struct vm_region *region, uint64_t start)
{
    if (region->object != NULL)
        region->offset += start - region->start;
    region->start = start;
    region->node.key = start;
}

void vm_region_split(struct address_space *space, struct vm_region *region, uint64_t at,
                     struct vm_region *spare)
{
    *spare = *region;
    spare->start = at;
    if (spare->object != NULL) {
        spare->offset += at - region->start;
        memory_object_get(spare->object);
        list_insert_between(&spare->object_link, &region->object_link, region->object_link.next);
    }
    region->end = at;
    vm_region_link(space, spare, &region->link);
}

int vm_region_insert(struct address_space *space, uint64_t start, uint64_t end, int prot,
                     int max_prot, enum vm_region_kind kind, struct memory_object *object,
                     uint64_t offset)
{
    struct vm_region *next = vm_region_first_after(space, start);
    struct list_node *prev_node = next != NULL ? next->link.prev : space->regions.prev;
    struct vm_region *prev = prev_node == &space->regions ? NULL : vm_region_of(prev_node);

    if (next != NULL && next->start < end)
        return -EINVAL;
    if (kind == VM_REGION_ANONYMOUS) {
        bool joins_prev = prev != NULL && prev->kind == VM_REGION_ANONYMOUS && prev->prot == prot &&
                          prev->max_prot == max_prot && prev->end == start;
        bool joins_next = next != NULL && next->kind == VM_REGION_ANONYMOUS && next->prot == prot &&
                          next->max_prot == max_prot && next->start == end;

        if (joins_prev && joins_next) {
            prev->end = next->end;
            vm_region_remove(space, next);
            return 0;
        }
        if (joins_prev) {
            prev->end = end;
            return 0;
        }
        if (joins_next) {
            vm_region_move_start(next, start); /* back to start, still after prev */
            return 0;
        }
    }

    struct vm_region *region = kmalloc(sizeof(*region));

    if (region == NULL)
        return -ENOMEM;
    region->start = start;
    region->end = end;
    region->prot = prot;
    region->max_prot = max_prot;
    region->kind = kind;
    region->object = object;
    region->offset = offset;
    region->charge = 0; /* the caller (vm_space.c) charges it */
    region->sized = false;   /* the caller (vm_map_limited) marks a past-the-end mapping */
    region->private = false; /* and a private one */
    if (object != NULL) {
        memory_object_get(object);
        list_push_back(&object->regions, &region->object_link);
    }
    vm_region_link(space, region, prev_node);
    return 0;
}
