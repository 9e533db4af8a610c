/* libsys spawn: a new process from a static ELF64 executable in memory (validated by elf.c). */
#include <aramid/sys.h>

#include "elf.h"

#define SPAWN_STACK_BOTTOM (ARAMID_SPAWN_STACK_TOP - ARAMID_SPAWN_STACK_SIZE)

/* Maps one segment writable, copies its file bytes (the rest stays demand-zero, which is the
 * bss), then sets its final protection. The segment's invariants (elf.h) hold. */
static long spawn_load_segment(aramid_handle_t space, const unsigned char *image,
                               const struct elf_segment *segment)
{
    const unsigned long read_write = ARAMID_PROT_READ | ARAMID_PROT_WRITE;
    size_t length = segment->page_end - segment->page_start;
    long result = sys_vm_map(space, segment->page_start, length, read_write, 0, 0);
    if (result < 0)
        return result;
    if (segment->file_size > 0) {
        result =
            sys_vm_write(space, segment->address, image + segment->file_offset, segment->file_size);
        if (result < 0)
            return result;
    }
    if (segment->prot != read_write) {
        result = sys_vm_protect(space, segment->page_start, length, segment->prot);
        if (result < 0)
            return result;
    }
    return 0;
}

/* Closes a handle if there is one and clears it; keeps the first error in *first_error. */
static void spawn_close(aramid_handle_t *handle, long *first_error)
{
    if (*handle > 0) {
        long result = sys_handle_close(*handle);
        if (result < 0 && *first_error == 0)
            *first_error = result;
    }
    *handle = 0;
}

long aramid_child_close(struct aramid_child *child)
{
    long first_error = 0;
    spawn_close(&child->thread, &first_error);
    spawn_close(&child->process, &first_error);
    spawn_close(&child->space, &first_error);
    return first_error;
}

long aramid_spawn_load(const void *image, size_t size, struct aramid_child *child)
{
    struct elf_image elf;
    struct aramid_child loaded = {0};
    long result = elf_parse(image, size, &elf);
    if (result < 0)
        return result;
    if (elf_overlaps_range(&elf, SPAWN_STACK_BOTTOM, ARAMID_SPAWN_STACK_TOP))
        return -ARAMID_ENOEXEC;

    result = sys_space_create();
    if (result < 0)
        return result;
    loaded.space = result;
    for (size_t i = 0; i < elf.segment_count; i++) {
        result = spawn_load_segment(loaded.space, image, &elf.segments[i]);
        if (result < 0)
            goto fail;
    }
    result = sys_vm_map(loaded.space, SPAWN_STACK_BOTTOM, ARAMID_SPAWN_STACK_SIZE,
                        ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    if (result < 0)
        goto fail;
    result = sys_process_create(loaded.space, 0);
    if (result < 0)
        goto fail;
    loaded.process = result;
    loaded.entry = elf.entry;
    *child = loaded;
    return 0;

fail:
    /* The load's own error is what the caller needs; a failed close cannot add to it. */
    (void)aramid_child_close(&loaded);
    return result;
}

long aramid_spawn_load_module(const struct aramid_bootinfo *bootinfo, const char *name,
                              struct aramid_child *child)
{
    const struct aramid_boot_module *module = aramid_module_find(bootinfo, name);
    const void *image;
    if (module == NULL)
        return -ARAMID_ENOENT;
    long result = aramid_module_map(bootinfo->self_space, module, &image);
    if (result < 0)
        return result;
    return aramid_spawn_load(image, module->size, child);
}

long aramid_spawn_start(struct aramid_child *child, unsigned long argument)
{
    long result = sys_thread_create(child->process, child->entry, ARAMID_SPAWN_STACK_TOP, argument);
    if (result < 0)
        return result;
    child->thread = result;
    return 0;
}

long aramid_spawn(const void *image, size_t size, unsigned long argument,
                  struct aramid_child *child)
{
    long result = aramid_spawn_load(image, size, child);
    if (result < 0)
        return result;
    result = aramid_spawn_start(child, argument);
    if (result < 0) {
        /* Errors of the cleanup are dropped: the start's error is the one to report. */
        (void)sys_process_kill(child->process);
        (void)aramid_child_close(child);
    }
    return result;
}
