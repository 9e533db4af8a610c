/* Multiboot2 tag-list parser: bounds-checks every tag before reading it (GRUB's data is input). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerrno.h"
#include "multiboot2.h"

#define TAG_END 0
#define TAG_CMDLINE 1
#define TAG_BOOTLOADER 2
#define TAG_MODULE 3
#define TAG_MMAP 6

struct mb2_tag {
    uint32_t type;
    uint32_t size;
};

struct mb2_mmap_entry {
    uint64_t base;
    uint64_t length;
    uint32_t type;
    uint32_t reserved;
};

static uint32_t read_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t read_u64(const uint8_t *p)
{
    return (uint64_t)read_u32(p) | (uint64_t)read_u32(p + 4) << 32;
}

/* A string field is valid only if it is NUL-terminated inside its tag. */
static const char *tag_string(const uint8_t *start, size_t length)
{
    for (size_t i = 0; i < length; i++)
        if (start[i] == '\0')
            return (const char *)start;
    return NULL;
}

static int parse_mmap(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
    if (size < 16)
        return -EINVAL;
    uint32_t entry_size = read_u32(tag + 8);
    if (entry_size < sizeof(struct mb2_mmap_entry) || entry_size % 8 != 0)
        return -EINVAL;
    for (uint32_t offset = 16; offset + entry_size <= size; offset += entry_size) {
        const uint8_t *e = tag + offset;
        if (out->memory_count == BOOT_MEMORY_RANGES_MAX) {
            out->memory_dropped++;
            continue;
        }
        struct memmap_entry *r = &out->memory[out->memory_count++];
        r->base = read_u64(e);
        r->length = read_u64(e + 8);
        r->type = read_u32(e + 16);
    }
    return 0;
}

static int parse_module(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
    if (size < 17)
        return -EINVAL;
    const char *name = tag_string(tag + 16, size - 16);
    uint32_t start = read_u32(tag + 8), end = read_u32(tag + 12);
    if (!name || end < start)
        return -EINVAL;
    if (out->module_count == BOOT_MODULES_MAX) {
        out->modules_dropped++;
        return 0;
    }
    out->modules[out->module_count++] = (struct boot_module){ start, end, name };
    return 0;
}

int multiboot2_parse(const void *info, size_t limit, struct boot_info *out)
{
    const uint8_t *base = info;
    *out = (struct boot_info){ .cmdline = "", .bootloader = "" };
    if (limit < 8)
        return -EINVAL;
    uint32_t total = read_u32(base);
    if (total < 8 || total > limit)
        return -EINVAL;
    out->info_size = total;

    size_t offset = 8;
    while (offset + 8 <= total) {
        const uint8_t *tag = base + offset;
        uint32_t type = read_u32(tag), size = read_u32(tag + 4);
        if (size < 8 || size > total - offset)
            return -EINVAL;
        int err = 0;
        switch (type) {
        case TAG_END:
            return 0;
        case TAG_CMDLINE:
            out->cmdline = tag_string(tag + 8, size - 8);
            err = out->cmdline ? 0 : -EINVAL;
            if (!out->cmdline)
                out->cmdline = "";
            break;
        case TAG_BOOTLOADER:
            out->bootloader = tag_string(tag + 8, size - 8);
            err = out->bootloader ? 0 : -EINVAL;
            if (!out->bootloader)
                out->bootloader = "";
            break;
        case TAG_MODULE:
            err = parse_module(tag, size, out);
            break;
        case TAG_MMAP:
            err = parse_mmap(tag, size, out);
            break;
        default:
            break;
        }
        if (err)
            return err;
        offset += ((size_t)size + 7) & ~(size_t)7;
    }
    /* Ran off the end without an end tag. */
    return -EINVAL;
}
