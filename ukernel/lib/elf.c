/* ELF64 executable validation: every field of a possibly hostile image is checked before use. */
#include "elf.h"

#include "kerrno.h"

/* ELF64 header and program header layout (System V ABI), read byte by byte so the image may have
 * any alignment. */
#define ELF_HEADER_SIZE 64
#define ELF_PROGRAM_HEADER_SIZE 56

#define ELF_CLASS_64 2
#define ELF_DATA_LITTLE_ENDIAN 1
#define ELF_VERSION_CURRENT 1
#define ELF_TYPE_EXECUTABLE 2
#define ELF_MACHINE_X86_64 62

#define ELF_PT_LOAD 1
#define ELF_PT_DYNAMIC 2
#define ELF_PT_INTERP 3

#define ELF_PF_X 0x1u
#define ELF_PF_W 0x2u
#define ELF_PF_R 0x4u

static uint64_t elf_read(const uint8_t *p, unsigned bytes)
{
    uint64_t value = 0;
    for (unsigned i = bytes; i > 0; i--)
        value = (value << 8) | p[i - 1];
    return value;
}

static uint32_t elf_prot_from_flags(uint64_t flags)
{
    uint32_t prot = 0;
    if (flags & ELF_PF_R)
        prot |= ELF_PROT_READ;
    if (flags & ELF_PF_W)
        prot |= ELF_PROT_WRITE;
    if (flags & ELF_PF_X)
        prot |= ELF_PROT_EXEC;
    return prot;
}

/* Checks the ELF header; stores the program header table's offset and count. */
static int elf_check_header(const uint8_t *p, size_t size, uint64_t *phoff, uint64_t *phnum)
{
    static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};
    if (size < ELF_HEADER_SIZE)
        return -ENOEXEC;
    for (unsigned i = 0; i < 4; i++) {
        if (p[i] != magic[i])
            return -ENOEXEC;
    }
    if (p[4] != ELF_CLASS_64 || p[5] != ELF_DATA_LITTLE_ENDIAN || p[6] != ELF_VERSION_CURRENT)
        return -ENOEXEC;
    if (elf_read(p + 16, 2) != ELF_TYPE_EXECUTABLE || elf_read(p + 18, 2) != ELF_MACHINE_X86_64 ||
        elf_read(p + 20, 4) != ELF_VERSION_CURRENT)
        return -ENOEXEC;
    if (elf_read(p + 54, 2) != ELF_PROGRAM_HEADER_SIZE)
        return -ENOEXEC;
    *phoff = elf_read(p + 32, 8);
    *phnum = elf_read(p + 56, 2);
    if (*phnum == 0 || *phnum > ELF_PROGRAM_HEADERS_MAX)
        return -ENOEXEC;
    /* phnum <= 64, so the table's length cannot overflow; its offset is checked against size
     * before being added to anything. */
    if (*phoff > size || size - *phoff < *phnum * ELF_PROGRAM_HEADER_SIZE)
        return -ENOEXEC;
    return 0;
}

/* Checks one PT_LOAD header (memory_size > 0) and fills *segment. */
static int elf_check_segment(const uint8_t *ph, size_t size, struct elf_segment *segment)
{
    uint64_t flags = elf_read(ph + 4, 4);
    uint64_t offset = elf_read(ph + 8, 8);
    uint64_t address = elf_read(ph + 16, 8);
    uint64_t file_size = elf_read(ph + 32, 8);
    uint64_t memory_size = elf_read(ph + 40, 8);
    uint32_t prot = elf_prot_from_flags(flags);

    if (file_size > memory_size)
        return -ENOEXEC;
    if (offset > size || size - offset < file_size)
        return -ENOEXEC;
    /* The file bytes must be mappable at the address: same offset within a page (the ELF
     * spec's p_offset = p_vaddr modulo the page size; Linux's execve refuses others). */
    if ((offset ^ address) & (ELF_PAGE_SIZE - 1))
        return -ENOEXEC;
    /* Both bounds are below 2^47, so the sum and the rounding below cannot overflow. */
    if (address < ELF_USER_BASE || address >= ELF_USER_TOP || memory_size > ELF_USER_TOP - address)
        return -ENOEXEC;
    uint64_t page_end = (address + memory_size + ELF_PAGE_SIZE - 1) & ~(ELF_PAGE_SIZE - 1);
    if (page_end > ELF_USER_TOP)
        return -ENOEXEC;
    if (prot == 0 || (flags & ~(uint64_t)(ELF_PF_R | ELF_PF_W | ELF_PF_X)) != 0)
        return -ENOEXEC;
    /* W^X: no segment is both writable and executable. */
    if ((prot & ELF_PROT_WRITE) && (prot & ELF_PROT_EXEC))
        return -ENOEXEC;

    segment->address = address;
    segment->memory_size = memory_size;
    segment->file_offset = offset;
    segment->file_size = file_size;
    segment->page_start = address & ~(ELF_PAGE_SIZE - 1);
    segment->page_end = page_end;
    segment->prot = prot;
    return 0;
}

/* Inserts segment into the first count entries of segments, kept sorted by address. */
static void elf_insert_sorted(struct elf_segment *segments, size_t count,
                              const struct elf_segment *segment)
{
    size_t i = count;
    while (i > 0 && segments[i - 1].address > segment->address) {
        segments[i] = segments[i - 1];
        i--;
    }
    segments[i] = *segment;
}

int elf_parse(const void *image, size_t size, struct elf_image *out)
{
    const uint8_t *p = image;
    uint64_t phoff, phnum;
    int error;

    if (p == NULL)
        return -ENOEXEC;
    error = elf_check_header(p, size, &phoff, &phnum);
    if (error)
        return error;

    struct elf_image elf = {.entry = elf_read(p + 24, 8), .segment_count = 0};
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = p + phoff + i * ELF_PROGRAM_HEADER_SIZE;
        uint64_t type = elf_read(ph, 4);
        struct elf_segment segment;

        /* Only static executables: no loader, no relocations. PT_TLS (the thread-local
         * template, inside a PT_LOAD) is for the program's thread library: skipped here. */
        if (type == ELF_PT_INTERP || type == ELF_PT_DYNAMIC)
            return -ENOEXEC;
        if (type != ELF_PT_LOAD || elf_read(ph + 40, 8) == 0)
            continue;
        if (elf.segment_count == ELF_SEGMENTS_MAX)
            return -ENOEXEC;
        error = elf_check_segment(ph, size, &segment);
        if (error)
            return error;
        elf_insert_sorted(elf.segments, elf.segment_count, &segment);
        elf.segment_count++;
    }
    if (elf.segment_count == 0)
        return -ENOEXEC;

    /* Sorted by address, so page ranges are disjoint iff each starts at or after the previous
     * one's end. */
    for (size_t i = 1; i < elf.segment_count; i++) {
        if (elf.segments[i].page_start < elf.segments[i - 1].page_end)
            return -ENOEXEC;
    }

    bool entry_ok = false;
    for (size_t i = 0; i < elf.segment_count; i++) {
        const struct elf_segment *s = &elf.segments[i];
        if ((s->prot & ELF_PROT_EXEC) && elf.entry >= s->address &&
            elf.entry - s->address < s->memory_size)
            entry_ok = true;
    }
    if (!entry_ok)
        return -ENOEXEC;

    *out = elf;
    return 0;
}

bool elf_overlaps_range(const struct elf_image *elf, uint64_t start, uint64_t end)
{
    for (size_t i = 0; i < elf->segment_count; i++) {
        if (elf->segments[i].page_start < end && start < elf->segments[i].page_end)
            return true;
    }
    return false;
}
