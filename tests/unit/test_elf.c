/* Unit tests for the ELF64 validator: a valid image, each kind of hostile image, random mutations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "elf.h"
#include "kerrno.h"

/* A valid image: three PT_LOAD segments (listed out of address order) plus a PT_GNU_STACK. */
#define IMAGE_SIZE 0x3010
#define PH_TEXT 0
#define PH_DATA 1
#define PH_RODATA 2
#define PH_STACK 3
#define PH_COUNT 4
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_TLS 7
#define PT_GNU_STACK 0x6474e551u
#define PF_X 1
#define PF_W 2
#define PF_R 4

/* Field offsets in a program header. */
#define PH_TYPE 0
#define PH_FLAGS 4
#define PH_OFFSET 8
#define PH_VADDR 16
#define PH_FILESZ 32
#define PH_MEMSZ 40

struct image {
    _Alignas(16) uint8_t bytes[IMAGE_SIZE + 64];
    size_t size;
};

static void put(uint8_t *p, uint64_t value, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        p[i] = (uint8_t)(value >> (8 * i));
}

static uint8_t *phdr(struct image *im, unsigned index)
{
    return im->bytes + 64 + 56 * index;
}

static void put_phdr(struct image *im, unsigned index, uint32_t type, uint32_t flags,
                     uint64_t offset, uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
    uint8_t *ph = phdr(im, index);
    put(ph + PH_TYPE, type, 4);
    put(ph + PH_FLAGS, flags, 4);
    put(ph + PH_OFFSET, offset, 8);
    put(ph + PH_VADDR, vaddr, 8);
    put(ph + 24, vaddr, 8);
    put(ph + PH_FILESZ, filesz, 8);
    put(ph + PH_MEMSZ, memsz, 8);
    put(ph + 48, 0x1000, 8);
}

static void image_build(struct image *im)
{
    memset(im, 0, sizeof(*im));
    memcpy(im->bytes,
           "\x7f"
           "ELF",
           4);
    im->bytes[4] = 2;           /* 64-bit */
    im->bytes[5] = 1;           /* little-endian */
    im->bytes[6] = 1;           /* version */
    put(im->bytes + 16, 2, 2);  /* ET_EXEC */
    put(im->bytes + 18, 62, 2); /* EM_X86_64 */
    put(im->bytes + 20, 1, 4);
    put(im->bytes + 24, 0x401010, 8); /* entry */
    put(im->bytes + 32, 64, 8);       /* phoff */
    put(im->bytes + 52, 64, 2);
    put(im->bytes + 54, 56, 2);
    put(im->bytes + 56, PH_COUNT, 2);
    put_phdr(im, PH_TEXT, PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x100, 0x100);
    put_phdr(im, PH_DATA, PT_LOAD, PF_R | PF_W, 0x3000, 0x403000, 0x10, 0x2000);
    put_phdr(im, PH_RODATA, PT_LOAD, PF_R, 0x2000, 0x402000, 0x80, 0x80);
    put_phdr(im, PH_STACK, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
    for (size_t i = 0x1000; i < IMAGE_SIZE; i++)
        im->bytes[i] = (uint8_t)i;
    im->size = IMAGE_SIZE;
}

static int image_parse(struct image *im, struct elf_image *out)
{
    return elf_parse(im->bytes, im->size, out);
}

/* The invariants elf.h promises, checked independently of the parser. */
static void check_invariants(const struct elf_image *elf, size_t size)
{
    int entry_found = 0;
    assert_true(elf->segment_count >= 1 && elf->segment_count <= ELF_SEGMENTS_MAX);
    for (size_t i = 0; i < elf->segment_count; i++) {
        const struct elf_segment *s = &elf->segments[i];
        assert_true(s->file_size <= s->memory_size);
        assert_true(s->memory_size > 0);
        assert_true(s->file_offset <= size && s->file_size <= size - s->file_offset);
        assert_true(s->page_start >= ELF_USER_BASE);
        assert_true(s->page_start <= s->address && s->page_start % ELF_PAGE_SIZE == 0);
        assert_true(s->address < ELF_USER_TOP && s->memory_size <= ELF_USER_TOP - s->address);
        assert_true(s->page_end >= s->address + s->memory_size);
        assert_true(s->page_end <= ELF_USER_TOP && s->page_end % ELF_PAGE_SIZE == 0);
        assert_true(s->prot != 0 && (s->prot & ~7u) == 0);
        assert_false((s->prot & ELF_PROT_WRITE) && (s->prot & ELF_PROT_EXEC));
        if (i > 0)
            assert_true(s->page_start >= elf->segments[i - 1].page_end);
        if ((s->prot & ELF_PROT_EXEC) && elf->entry >= s->address &&
            elf->entry < s->address + s->memory_size)
            entry_found = 1;
    }
    assert_true(entry_found);
}

static void test_valid_image_is_accepted_sorted(void **state)
{
    (void)state;
    struct image im;
    struct elf_image elf;
    image_build(&im);
    assert_int_equal(image_parse(&im, &elf), 0);
    check_invariants(&elf, im.size);
    assert_int_equal(elf.entry, 0x401010);
    assert_int_equal(elf.segment_count, 3);
    assert_int_equal(elf.segments[0].address, 0x401000);
    assert_int_equal(elf.segments[0].prot, ELF_PROT_READ | ELF_PROT_EXEC);
    assert_int_equal(elf.segments[1].address, 0x402000);
    assert_int_equal(elf.segments[1].prot, ELF_PROT_READ);
    assert_int_equal(elf.segments[2].address, 0x403000);
    assert_int_equal(elf.segments[2].prot, ELF_PROT_READ | ELF_PROT_WRITE);
    assert_int_equal(elf.segments[2].file_size, 0x10);
    assert_int_equal(elf.segments[2].memory_size, 0x2000);
    assert_int_equal(elf.segments[2].page_end, 0x405000);
}

static void test_unaligned_image_is_read_bytewise(void **state)
{
    (void)state;
    struct image im;
    struct elf_image elf;
    image_build(&im);
    memmove(im.bytes + 1, im.bytes, IMAGE_SIZE);
    assert_int_equal(elf_parse(im.bytes + 1, IMAGE_SIZE, &elf), 0);
    assert_int_equal(elf.segment_count, 3);
}

static void test_every_truncation_is_rejected(void **state)
{
    (void)state;
    struct image im;
    struct elf_image elf;
    image_build(&im);
    for (size_t size = 0; size < IMAGE_SIZE; size++)
        assert_int_equal(elf_parse(im.bytes, size, &elf), -ENOEXEC);
    assert_int_equal(elf_parse(NULL, IMAGE_SIZE, &elf), -ENOEXEC);
}

static void test_output_untouched_on_failure(void **state)
{
    (void)state;
    struct image im;
    struct elf_image elf;
    image_build(&im);
    memset(&elf, 0xa5, sizeof(elf));
    im.bytes[0] = 0;
    assert_int_equal(image_parse(&im, &elf), -ENOEXEC);
    assert_int_equal(elf.segment_count, (size_t)0xa5a5a5a5a5a5a5a5ull);
}

/* One header byte range set to a value; each must be rejected. */
struct header_case {
    unsigned offset;
    unsigned bytes;
    uint64_t value;
};

static void test_bad_headers_are_rejected(void **state)
{
    (void)state;
    static const struct header_case cases[] = {
        {0, 1, 0x7e}, /* magic */
        {3, 1, 'f'},  /* magic */
        {4, 1, 1},    /* 32-bit class */
        {5, 1, 2},    /* big-endian */
        {6, 1, 0},    /* ident version */
        {16, 2, 3},   /* ET_DYN */
        {16, 2, 1},   /* ET_REL */
        {18, 2, 3},   /* EM_386 */
        {20, 4, 0},   /* version */
        {54, 2, 32},  /* program header size */
        {56, 2, 0},   /* no program headers */
        {56, 2, ELF_PROGRAM_HEADERS_MAX + 1},
        {56, 2, 0xffff},          /* PN_XNUM */
        {32, 8, IMAGE_SIZE},      /* table past the end */
        {32, 8, IMAGE_SIZE - 56}, /* table partly past the end */
        {32, 8, UINT64_MAX - 63}, /* offset + length overflows */
        {24, 8, 0},               /* entry outside every segment */
        {24, 8, 0x402000},        /* entry in a non-executable segment */
        {24, 8, 0x401100},        /* entry just past the text */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct image im;
        struct elf_image elf;
        image_build(&im);
        put(im.bytes + cases[i].offset, cases[i].value, cases[i].bytes);
        print_message("header case %zu\n", i);
        assert_int_equal(image_parse(&im, &elf), -ENOEXEC);
    }
}

/* One program-header field of one header set to a value; each must be rejected. */
struct segment_case {
    unsigned index;
    unsigned field;
    uint64_t value;
};

static void test_bad_segments_are_rejected(void **state)
{
    (void)state;
    static const struct segment_case cases[] = {
        {PH_DATA, PH_FILESZ, 0x2001},         /* filesz > memsz */
        {PH_DATA, PH_OFFSET, IMAGE_SIZE},     /* bytes past the end */
        {PH_DATA, PH_OFFSET, UINT64_MAX - 8}, /* offset + filesz overflows */
        {PH_TEXT, PH_FILESZ, IMAGE_SIZE},     /* file range past the end */
        {PH_TEXT, PH_OFFSET, 0x1001},         /* offset not the address modulo a page */
        {PH_DATA, PH_VADDR, 0x403800},        /* address not the offset modulo a page */
        {PH_TEXT, PH_VADDR, 0},               /* below the user range */
        {PH_TEXT, PH_VADDR, ELF_USER_BASE - 1},
        {PH_RODATA, PH_VADDR, ELF_USER_TOP},          /* at the top */
        {PH_RODATA, PH_VADDR, ELF_USER_TOP - 0x40},   /* crosses the top */
        {PH_RODATA, PH_VADDR, 0xffffffff80000000ull}, /* kernel */
        {PH_RODATA, PH_VADDR, 0x0000800000000000ull}, /* non-canonical */
        {PH_DATA, PH_MEMSZ, UINT64_MAX},              /* address + memsz wraps */
        {PH_DATA, PH_MEMSZ, ELF_USER_TOP},
        {PH_RODATA, PH_VADDR, 0x401f80},          /* shares the text's page */
        {PH_RODATA, PH_VADDR, 0x404000},          /* inside the data's bss */
        {PH_DATA, PH_VADDR, 0x400800},            /* bss covers text and rodata */
        {PH_TEXT, PH_FLAGS, PF_R | PF_W | PF_X},  /* writable and executable */
        {PH_RODATA, PH_FLAGS, 0},                 /* no access at all */
        {PH_RODATA, PH_FLAGS, PF_R | 0x00100000}, /* unknown flag */
        {PH_STACK, PH_TYPE, PT_INTERP},
        {PH_STACK, PH_TYPE, PT_DYNAMIC},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct image im;
        struct elf_image elf;
        image_build(&im);
        put(phdr(&im, cases[i].index) + cases[i].field, cases[i].value,
            cases[i].field == PH_TYPE || cases[i].field == PH_FLAGS ? 4 : 8);
        print_message("segment case %zu\n", i);
        assert_int_equal(image_parse(&im, &elf), -ENOEXEC);
    }
}

static void test_other_headers_and_empty_loads_are_skipped(void **state)
{
    (void)state;
    struct image im;
    struct elf_image elf;
    image_build(&im);
    put(phdr(&im, PH_STACK) + PH_TYPE, PT_NOTE, 4);
    assert_int_equal(image_parse(&im, &elf), 0);
    /* PT_TLS describes the template inside a PT_LOAD, for the program's own threads. */
    put(phdr(&im, PH_STACK) + PH_TYPE, PT_TLS, 4);
    assert_int_equal(image_parse(&im, &elf), 0);
    /* A PT_LOAD with memsz 0 and garbage elsewhere maps nothing and is ignored. */
    put_phdr(&im, PH_STACK, PT_LOAD, PF_R | PF_W | PF_X, UINT64_MAX, 0, 0, 0);
    assert_int_equal(image_parse(&im, &elf), 0);
    assert_int_equal(elf.segment_count, 3);
}

static void test_segment_count_is_bounded(void **state)
{
    (void)state;
    struct image im;
    struct elf_image elf;
    image_build(&im);
    /* Text plus 15 one-page read-only segments: the most allowed. */
    unsigned count = ELF_SEGMENTS_MAX;
    put(im.bytes + 56, count, 2);
    for (unsigned i = 1; i < count; i++)
        put_phdr(&im, i, PT_LOAD, PF_R, 0x2000, 0x500000 + 0x1000 * i, 0x80, 0x80);
    assert_int_equal(image_parse(&im, &elf), 0);
    assert_int_equal(elf.segment_count, ELF_SEGMENTS_MAX);
    check_invariants(&elf, im.size);
    put(im.bytes + 56, count + 1, 2);
    put_phdr(&im, count, PT_LOAD, PF_R, 0x2000, 0x500000 + 0x1000 * count, 0x80, 0x80);
    assert_int_equal(image_parse(&im, &elf), -ENOEXEC);
}

static void test_overlaps_range(void **state)
{
    (void)state;
    struct image im;
    struct elf_image elf;
    image_build(&im);
    assert_int_equal(image_parse(&im, &elf), 0);
    assert_true(elf_overlaps_range(&elf, 0x400000, 0x401001));
    assert_true(elf_overlaps_range(&elf, 0x404fff, 0x405000));
    assert_false(elf_overlaps_range(&elf, 0x400000, 0x401000));
    assert_false(elf_overlaps_range(&elf, 0x405000, 0x7ff000000000));
}

static uint64_t fuzz_state = 0x9e3779b97f4a7c15ull;

static uint64_t fuzz_next(void)
{
    fuzz_state ^= fuzz_state << 13;
    fuzz_state ^= fuzz_state >> 7;
    fuzz_state ^= fuzz_state << 17;
    return fuzz_state;
}

/* Values that sit on the validator's boundaries. */
static uint64_t fuzz_interesting(void)
{
    static const uint64_t values[] = {
        0,
        1,
        0x1000,
        0xfff,
        56,
        64,
        IMAGE_SIZE,
        IMAGE_SIZE - 1,
        0x401000,
        0x402000,
        0x403000,
        ELF_USER_BASE - 1,
        ELF_USER_TOP,
        ELF_USER_TOP - 1,
        ELF_USER_TOP - 0x1000,
        0x0000800000000000ull,
        0xffff800000000000ull,
        0xffffffff80000000ull,
        UINT64_MAX,
        UINT64_MAX - 0xfff,
        INT64_MAX,
        7,
        5,
        6,
    };
    return values[fuzz_next() % (sizeof(values) / sizeof(values[0]))];
}

/* Random mutations of the valid image never crash the parser (ASan/UBSan watch) and whatever it
 * accepts satisfies every invariant. */
static void test_random_mutations(void **state)
{
    (void)state;
    size_t accepted = 0, rejected = 0;
    for (unsigned round = 0; round < 200000; round++) {
        struct image im;
        struct elf_image elf;
        image_build(&im);
        unsigned mutations = 1 + (unsigned)(fuzz_next() % 6);
        for (unsigned m = 0; m < mutations; m++) {
            uint64_t choice = fuzz_next();
            size_t header_bytes = 64 + 56 * PH_COUNT;
            switch (choice % 5) {
            case 0: /* one random byte in the headers */
                im.bytes[fuzz_next() % header_bytes] = (uint8_t)fuzz_next();
                break;
            case 1: /* an interesting value over an 8-byte field of a program header */
                put(phdr(&im, (unsigned)(fuzz_next() % PH_COUNT)) + 8 * (fuzz_next() % 7),
                    fuzz_interesting(), 8);
                break;
            case 2: /* an interesting value over a header field */
                put(im.bytes + 8 * (2 + fuzz_next() % 6), fuzz_interesting(), 8);
                break;
            case 3: /* a program header's type and flags */
                put(phdr(&im, (unsigned)(fuzz_next() % PH_COUNT)),
                    fuzz_next() % 8 == 0 ? fuzz_next()
                                         : (fuzz_next() % 8) | ((fuzz_next() % 8) << 32),
                    8);
                break;
            default: /* truncation */
                im.size = fuzz_next() % (IMAGE_SIZE + 1);
                break;
            }
        }
        if (image_parse(&im, &elf) == 0) {
            check_invariants(&elf, im.size);
            accepted++;
        } else {
            rejected++;
        }
    }
    print_message("fuzz: %zu accepted, %zu rejected\n", accepted, rejected);
    assert_true(accepted > 0 && rejected > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_image_is_accepted_sorted),
        cmocka_unit_test(test_unaligned_image_is_read_bytewise),
        cmocka_unit_test(test_every_truncation_is_rejected),
        cmocka_unit_test(test_output_untouched_on_failure),
        cmocka_unit_test(test_bad_headers_are_rejected),
        cmocka_unit_test(test_bad_segments_are_rejected),
        cmocka_unit_test(test_other_headers_and_empty_loads_are_skipped),
        cmocka_unit_test(test_segment_count_is_bounded),
        cmocka_unit_test(test_overlaps_range),
        cmocka_unit_test(test_random_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
