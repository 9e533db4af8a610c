/* Host check of built user programs: each passes the kernel's ELF validator with the segment
 * layout libsys/user.ld promises, clear of the spawn stack and libsys's mapping region. */
#include <stdio.h>
#include <stdlib.h>

#include "elf.h"

/* libsys/include/aramid/sys.h: ARAMID_MEMORY_START and ARAMID_SPAWN_STACK_TOP. */
#define CHECK_RESERVED_START 0x100000000000ull
#define CHECK_RESERVED_END 0x7ff000000000ull

static int check_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return 1;
    }
    static unsigned char bytes[16 << 20];
    size_t size = fread(bytes, 1, sizeof(bytes), f);
    int too_big = !feof(f);
    fclose(f);
    if (too_big) {
        fprintf(stderr, "%s: larger than %zu bytes\n", path, sizeof(bytes));
        return 1;
    }

    struct elf_image elf;
    int result = elf_parse(bytes, size, &elf);
    if (result != 0) {
        fprintf(stderr, "%s: elf_parse returned %d\n", path, result);
        return 1;
    }
    static const unsigned expected_prot[] = {
        ELF_PROT_READ | ELF_PROT_EXEC,
        ELF_PROT_READ,
        ELF_PROT_READ | ELF_PROT_WRITE,
    };
    if (elf.segment_count != 3) {
        fprintf(stderr, "%s: %zu segments, expected text, rodata, data\n", path, elf.segment_count);
        return 1;
    }
    for (size_t i = 0; i < 3; i++) {
        if (elf.segments[i].prot != expected_prot[i] || elf.segments[i].address % 0x1000 != 0) {
            fprintf(stderr, "%s: segment %zu at %#llx has prot %u, expected %u, page-aligned\n",
                    path, i, (unsigned long long)elf.segments[i].address, elf.segments[i].prot,
                    expected_prot[i]);
            return 1;
        }
    }
    if (elf.segments[0].address != 0x400000) {
        fprintf(stderr, "%s: text not at 0x400000\n", path);
        return 1;
    }
    if (elf_overlaps_range(&elf, CHECK_RESERVED_START, CHECK_RESERVED_END)) {
        fprintf(stderr, "%s: overlaps libsys's mappings or the stack\n", path);
        return 1;
    }
    printf("%s: entry %#llx, %zu segments ok\n", path, (unsigned long long)elf.entry,
           elf.segment_count);
    return 0;
}

int main(int argc, char **argv)
{
    int failures = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s PROGRAM.elf...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++)
        failures += check_file(argv[i]);
    return failures ? 1 : 0;
}
