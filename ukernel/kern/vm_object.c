/* Memory objects: pages shared by every mapping of them, made zero-filled on first touch. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerrno.h"
#include "kstring.h"
#include "memory.h"
#include "quota.h"
#include "vm_region.h"

uint64_t memory_object_frames;

/* The frame of object page index, allocated zero-filled on first touch (vm_region.h). */
int memory_object_page(struct memory_object *object, uint64_t index, bool sized,
                       uint64_t *phys_out)
{
    if (index >= (sized ? object->size_pages : object->page_count))
        return -ENXIO;
    if (object->pages[index] == 0) {
        int error = paging_frame_alloc_zeroed(&object->pages[index]);

        if (error) {
            object->pages[index] = 0;
            return error;
        }
        memory_object_frames++;
    }
    *phys_out = object->pages[index];
    return 0;
}

struct memory_object *memory_object_create(uint64_t size)
{
    if (size == 0 || size > VM_USER_TOP)
        return NULL;
    uint64_t page_count = (size + PAGING_PAGE_SIZE - 1) / PAGING_PAGE_SIZE;
    struct memory_object *object = kmalloc(sizeof(*object));

    if (object == NULL)
        return NULL;
    object->pages = kmalloc((size_t)page_count * sizeof(object->pages[0]));
    if (object->pages == NULL) {
        kfree(object);
        return NULL;
    }
    object->refcount = 1;
    object->quota = NULL;
    object->page_count = page_count;
    object->size_pages = page_count;
    list_init(&object->regions);
    memset(object->pages, 0, (size_t)page_count * sizeof(object->pages[0]));
    return object;
}

/* Gives object page_count slots (more than it has), the new ones charged to its quota: 0,
 * -ENOMEM. Its size grows to them too. */
static int memory_object_slots_grow(struct memory_object *object, uint64_t page_count)
{
    uint64_t *pages = kmalloc((size_t)page_count * sizeof(pages[0]));
    if (pages == NULL)
        return -ENOMEM;
    int error = quota_charge(object->quota, page_count - object->page_count);
    if (error) {
        kfree(pages);
        return error;
    }
    memcpy(pages, object->pages, (size_t)object->page_count * sizeof(pages[0]));
    memset(pages + object->page_count, 0,
           (size_t)(page_count - object->page_count) * sizeof(pages[0]));
    kfree(object->pages);
    object->pages = pages;
    object->page_count = page_count;
    object->size_pages = page_count;
    return 0;
}

int memory_object_resize(struct memory_object *object, uint64_t size)
{
    if (size > VM_USER_TOP)
        return -EINVAL;
    uint64_t page_count = (size + PAGING_PAGE_SIZE - 1) / PAGING_PAGE_SIZE;

    if (page_count > object->page_count)
        return memory_object_slots_grow(object, page_count);
    if (page_count < object->size_pages)
        vm_regions_unmap_past(object, page_count);
    object->size_pages = page_count;
    return 0;
}

int memory_object_discard(struct memory_object *object, uint64_t offset, uint64_t length)
{
    if ((offset | length) & (PAGING_PAGE_SIZE - 1))
        return -EINVAL;
    uint64_t first = offset / PAGING_PAGE_SIZE, count = length / PAGING_PAGE_SIZE;
    if (count > MEMORY_OBJECT_DISCARD_MAX || first > object->page_count ||
        count > object->page_count - first)
        return -EINVAL;
    for (uint64_t i = first; i < first + count; i++)
        if (object->pages[i] != 0) {
            (void)paging_frame_put(object->pages[i]);
            object->pages[i] = 0;
            memory_object_frames--;
        }
    return 0;
}

void memory_object_get(struct memory_object *object)
{
    object->refcount++;
}

void memory_object_put(struct memory_object *object)
{
    if (object == NULL || --object->refcount != 0)
        return;
    for (uint64_t i = 0; i < object->page_count; i++)
        if (object->pages[i] != 0) {
            (void)paging_frame_put(object->pages[i]);
            memory_object_frames--;
        }
    quota_uncharge(object->quota, object->page_count);
    quota_put(object->quota);
    kfree(object->pages);
    kfree(object);
}

int memory_object_charge_to(struct memory_object *object, struct quota *quota)
{
    if (object->quota == quota)
        return 0;
    int error = quota_charge(quota, object->page_count);
    if (error)
        return error;
    quota_uncharge(object->quota, object->page_count);
    quota_put(object->quota);
    quota_get(quota);
    object->quota = quota;
    return 0;
}
