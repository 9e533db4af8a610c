/* ELF64 executable validation: pure logic shared by the kernel (root task) and libsys (spawn). */
#ifndef ARAMID_ELF_H
#define ARAMID_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The user address range, equal to ARAMID_USER_BASE/TOP in libsys/include/aramid/syscall.h
 * (libsys/abi.c checks this at compile time). */
#define ELF_USER_BASE 0x1000ull
#define ELF_USER_TOP 0x00007ffffffff000ull

#define ELF_PAGE_SIZE 0x1000ull

/* At most this many program headers are looked at, and at most this many PT_LOAD segments. */
#define ELF_PROGRAM_HEADERS_MAX 64
#define ELF_SEGMENTS_MAX 16

/* Segment protection, the same bits as ARAMID_PROT_* and VM_PROT_*. */
#define ELF_PROT_READ 0x1u
#define ELF_PROT_WRITE 0x2u
#define ELF_PROT_EXEC 0x4u

/*
 * One loadable segment. Invariants after elf_parse succeeds:
 *   file_size <= memory_size, memory_size > 0;
 *   file_offset + file_size <= the image size (no overflow);
 *   ELF_USER_BASE <= page_start < page_end <= ELF_USER_TOP, where page_start is address rounded
 *   down and page_end is address + memory_size rounded up to ELF_PAGE_SIZE;
 *   the [page_start, page_end) ranges of different segments do not overlap, and segments are
 *   sorted by address;
 *   prot is a non-empty subset of READ|WRITE|EXEC and never WRITE together with EXEC.
 */
struct elf_segment {
    uint64_t address;
    uint64_t memory_size;
    uint64_t file_offset;
    uint64_t file_size;
    uint64_t page_start;
    uint64_t page_end;
    uint32_t prot;
};

/* entry lies inside an executable segment. */
struct elf_image {
    uint64_t entry;
    size_t segment_count;
    struct elf_segment segments[ELF_SEGMENTS_MAX];
};

/*
 * Validates a static x86-64 ELF64 executable (ET_EXEC, little-endian, no interpreter, no dynamic
 * section) of size bytes at image, which may have any alignment, and fills *out. Returns 0, or
 * -ENOEXEC for anything that is not such an executable or breaks an invariant above. *out is
 * written only on success. Reads nothing outside [image, image + size).
 */
int elf_parse(const void *image, size_t size, struct elf_image *out);

/* Whether any segment's page range overlaps [start, end). */
bool elf_overlaps_range(const struct elf_image *elf, uint64_t start, uint64_t end);

#endif /* ARAMID_ELF_H */
