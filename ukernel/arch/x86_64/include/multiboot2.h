/* Multiboot2 boot information: the parts the kernel uses, checked and copied out of GRUB's tag list. */
#ifndef ARAMID_ARCH_MULTIBOOT2_H
#define ARAMID_ARCH_MULTIBOOT2_H

#include <stddef.h>
#include <stdint.h>

#include "memmap.h"

#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289
#define BOOT_MEMORY_RANGES_MAX 128
#define BOOT_MODULES_MAX 32

/* A module GRUB loaded: physical [start, end), and the string after its path in grub.cfg. */
struct boot_module {
    uint64_t start;
    uint64_t end;
    const char *name;
};

/* Strings point into the boot information, which must stay mapped while they are used. */
struct boot_info {
    const char *cmdline;
    const char *bootloader;
    struct memmap_entry memory[BOOT_MEMORY_RANGES_MAX];
    size_t memory_count;
    size_t memory_dropped; /* entries beyond BOOT_MEMORY_RANGES_MAX */
    struct boot_module modules[BOOT_MODULES_MAX];
    size_t module_count;
    size_t modules_dropped;
    size_t info_size;   /* bytes of boot information, for reserving it */
    uint64_t info_phys; /* where it is; set by the caller, not the parser */
};

/* Parses the tag list at info (total_size from its first word, never read past limit bytes).
 * Malformed tags (size < 8, running past the end, unterminated strings) end the walk with
 * -EINVAL; what was parsed before stays in out. Returns 0 on a well-formed list. */
int multiboot2_parse(const void *info, size_t limit, struct boot_info *out);

#endif
