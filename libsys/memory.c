/* libsys memory: mappings at addresses libsys picks, and boot modules mapped from their objects. */
#include <aramid/sys.h>

#include "kstring.h"

#define MEMORY_PAGE_SIZE 0x1000ul

/* Next free address of [ARAMID_MEMORY_START, ARAMID_MEMORY_END); only grows, shared by threads. */
static unsigned long memory_next = ARAMID_MEMORY_START;

long aramid_memory_map(aramid_handle_t space, size_t length, unsigned long prot,
                       aramid_handle_t memory_object, unsigned long offset)
{
    if (length == 0 || length > ARAMID_MEMORY_END - ARAMID_MEMORY_START)
        return -ARAMID_EINVAL;
    unsigned long pages = (length + MEMORY_PAGE_SIZE - 1) & ~(MEMORY_PAGE_SIZE - 1);
    /* The extra page stays unmapped: a guard between neighbouring mappings. */
    unsigned long address =
        __atomic_fetch_add(&memory_next, pages + MEMORY_PAGE_SIZE, __ATOMIC_RELAXED);
    if (address > ARAMID_MEMORY_END - pages)
        return -ARAMID_ENOMEM;
    long result = sys_vm_map(space, address, pages, prot, memory_object, offset);
    return result < 0 ? result : (long)address;
}

long aramid_memory_create_mapped(aramid_handle_t space, size_t length,
                                 aramid_handle_t *memory_object)
{
    long memory = sys_memory_object_create(length);
    if (memory < 0)
        return memory;
    long address =
        aramid_memory_map(space, length, ARAMID_PROT_READ | ARAMID_PROT_WRITE, memory, 0);
    if (address < 0) {
        (void)sys_handle_close(memory);
        return address;
    }
    *memory_object = memory;
    return address;
}

const struct aramid_boot_module *aramid_module_find(const struct aramid_bootinfo *bootinfo,
                                                    const char *name)
{
    unsigned long count = bootinfo->module_count;
    if (count > ARAMID_BOOTINFO_MODULES_MAX)
        count = ARAMID_BOOTINFO_MODULES_MAX;
    for (unsigned long i = 0; i < count; i++) {
        if (strncmp(bootinfo->modules[i].name, name, ARAMID_BOOTINFO_NAME_MAX) == 0)
            return &bootinfo->modules[i];
    }
    return NULL;
}

long aramid_module_map(aramid_handle_t space, const struct aramid_boot_module *module,
                       const void **bytes)
{
    long address =
        aramid_memory_map(space, module->size, ARAMID_PROT_READ, module->memory_object, 0);
    if (address < 0)
        return address;
    *bytes = (const void *)address;
    return 0;
}
