/* Root task loader: an ELF executable from a boot module into a fresh process, with a read-only
 * boot information page (struct aramid_bootinfo) whose address arrives in rdi. */
#include <stdbool.h>
#include <stdint.h>

#include "aramid/bootinfo.h"
#include "aramid/syscall.h"
#include "console.h"
#include "console_input.h"
#include "elf.h"
#include "handle.h"
#include "kerrno.h"
#include "kstring.h"
#include "layout.h"
#include "memory.h"
#include "multiboot2.h"
#include "process.h"
#include "root_task.h"
#include "sched.h"
#include "thread.h"
#include "vm.h"

#define KERNEL_SYMBOLS_MODULE "kernel-symbols"
#define ROOT_STACK_TOP 0x00007ffffff00000ull
#define ROOT_STACK_SIZE (256 * 1024ull)
#define ROOT_BOOTINFO_ADDRESS 0x00007ffffff10000ull
/* Scratch place in the root space where a module's memory object is filled. */
#define ROOT_SCRATCH_ADDRESS 0x0000700000000000ull
#define ALL_RIGHTS HANDLE_RIGHTS_ALL
#define CONSOLE_RIGHTS (HANDLE_RIGHT_READ | HANDLE_RIGHT_GRANT | HANDLE_RIGHT_DUPLICATE)
#define MODULE_RIGHTS                                                                         \
    (HANDLE_RIGHT_READ | HANDLE_RIGHT_EXECUTE | HANDLE_RIGHT_MAP | HANDLE_RIGHT_GRANT |        \
     HANDLE_RIGHT_DUPLICATE)

static uint64_t page_round_up(uint64_t value)
{
    return (value + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

static const struct boot_module *find_module(const struct boot_info *boot, const char *name)
{
    for (size_t i = 0; i < boot->module_count; i++) {
        const char *module_name = boot->modules[i].name;
        if (name[0] ? strcmp(module_name, name) == 0
                    : strcmp(module_name, KERNEL_SYMBOLS_MODULE) != 0)
            return &boot->modules[i];
    }
    return NULL;
}

static int load_segments(struct address_space *space, const uint8_t *image,
                         const struct elf_image *elf)
{
    for (size_t i = 0; i < elf->segment_count; i++) {
        const struct elf_segment *s = &elf->segments[i];
        uint64_t length = s->page_end - s->page_start;
        int err = vm_map(space, s->page_start, length, VM_PROT_READ | VM_PROT_WRITE, NULL, 0);
        if (!err)
            err = vm_write(space, s->address, image + s->file_offset, s->file_size);
        if (!err)
            err = vm_protect(space, s->page_start, length, (int)s->prot);
        if (err)
            return err;
    }
    return 0;
}

/* A memory object holding a copy of module, filled through a temporary mapping in space. */
static struct memory_object *module_object(struct address_space *space,
                                           const struct boot_module *module)
{
    uint64_t size = module->end - module->start;
    struct memory_object *object = memory_object_create(size ? size : 1);
    if (!object)
        return NULL;
    uint64_t length = page_round_up(size ? size : 1);
    int err = vm_map(space, ROOT_SCRATCH_ADDRESS, length, VM_PROT_READ | VM_PROT_WRITE, object, 0);
    if (!err)
        err = vm_write(space, ROOT_SCRATCH_ADDRESS, phys_to_virt(module->start), size);
    vm_unmap(space, ROOT_SCRATCH_ADDRESS, length);
    if (err) {
        memory_object_put(object);
        return NULL;
    }
    return object;
}

static int fill_bootinfo(struct process *process, const struct boot_info *boot,
                         struct aramid_bootinfo *info)
{
    memset(info, 0, sizeof(*info));
    info->magic = ARAMID_BOOTINFO_MAGIC;
    process_get(process);
    info->self_process = handle_install(&process->handles, process, HANDLE_TYPE_PROCESS,
                                        ALL_RIGHTS & ~HANDLE_RIGHT_GRANT);
    address_space_get(process->space);
    info->self_space = handle_install(&process->handles, process->space,
                                      HANDLE_TYPE_ADDRESS_SPACE, ALL_RIGHTS & ~HANDLE_RIGHT_GRANT);
    if (info->self_process < 0 || info->self_space < 0)
        return -ENOMEM;
    void *console = console_input_object();
    if (console) {
        info->console = handle_install(&process->handles, console, HANDLE_TYPE_CONSOLE,
                                       CONSOLE_RIGHTS);
        if (info->console < 0)
            return -ENOMEM;
    }
    for (size_t i = 0; i < boot->module_count && info->module_count < ARAMID_BOOTINFO_MODULES_MAX;
         i++) {
        const struct boot_module *module = &boot->modules[i];
        if (strcmp(module->name, KERNEL_SYMBOLS_MODULE) == 0)
            continue;
        struct memory_object *object = module_object(process->space, module);
        if (!object)
            return -ENOMEM;
        struct aramid_boot_module *out = &info->modules[info->module_count++];
        size_t name_length = strlen(module->name);
        if (name_length >= sizeof(out->name))
            name_length = sizeof(out->name) - 1;
        memcpy(out->name, module->name, name_length);
        out->size = module->end - module->start;
        out->memory_object =
            handle_install(&process->handles, object, HANDLE_TYPE_MEMORY_OBJECT, MODULE_RIGHTS);
        if (out->memory_object < 0)
            return -ENOMEM;
    }
    size_t cmdline_length = strlen(boot->cmdline);
    if (cmdline_length >= sizeof(info->cmdline))
        cmdline_length = sizeof(info->cmdline) - 1;
    memcpy(info->cmdline, boot->cmdline, cmdline_length);
    return 0;
}

static int root_task_load(const struct boot_info *boot, const struct boot_module *module)
{
    const uint8_t *image = phys_to_virt(module->start);
    struct elf_image elf;
    int err = elf_parse(image, module->end - module->start, &elf);
    if (err) {
        kprintf("root task: module '%s' is not a valid executable (error %d)\n", module->name,
                err);
        return err;
    }
    struct address_space *space = address_space_create();
    if (!space)
        return -ENOMEM;
    struct process *process = process_create(space, NULL);
    address_space_put(space); /* the process holds it now */
    if (!process)
        return -ENOMEM;
    process->is_root = true;
    process->may_create = true;
    process->system = true;

    static struct aramid_bootinfo info;
    err = load_segments(space, image, &elf);
    if (!err)
        err = vm_map(space, ROOT_STACK_TOP - ROOT_STACK_SIZE, ROOT_STACK_SIZE,
                     VM_PROT_READ | VM_PROT_WRITE, NULL, 0);
    if (!err)
        err = fill_bootinfo(process, boot, &info);
    uint64_t info_length = page_round_up(sizeof(info));
    if (!err)
        err = vm_map(space, ROOT_BOOTINFO_ADDRESS, info_length, VM_PROT_READ | VM_PROT_WRITE,
                     NULL, 0);
    if (!err)
        err = vm_write(space, ROOT_BOOTINFO_ADDRESS, &info, sizeof(info));
    if (!err)
        err = vm_protect(space, ROOT_BOOTINFO_ADDRESS, info_length, VM_PROT_READ);
    struct thread *thread = NULL;
    if (!err) {
        thread = thread_create_user(process, elf.entry, ROOT_STACK_TOP, ROOT_BOOTINFO_ADDRESS);
        err = thread ? 0 : -ENOMEM;
    }
    if (err) {
        kprintf("root task: cannot load '%s' (error %d)\n", module->name, err);
        process->is_root = false;
        process_terminate(process, 1);
        process_put(process);
        return err;
    }
    kprintf("root task: '%s' as process %u, entry %#lx, %lu modules\n", module->name, process->id,
            elf.entry, info.module_count);
    process_put(process); /* its thread keeps it alive */
    sched_wake(thread);
    return 0;
}

bool root_task_start(const struct boot_info *boot, const char *name)
{
    const struct boot_module *module = find_module(boot, name);
    if (!module) {
        if (name[0])
            kprintf("root task: no module named '%s'\n", name);
        return false;
    }
    return root_task_load(boot, module) == 0;
}
