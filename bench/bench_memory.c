/* Address-space system calls: mmap/munmap, page faults, mprotect and brk. */
#include "bench.h"

#include <sys/mman.h>
#include <unistd.h>

#define PAGE_BYTES 4096
#define FAULT_PAGES 4096

/* mmap_fault: the region being touched and the next page to touch; NULL between regions. */
struct fault_state {
    volatile char *region;
    long next_page;
};

static struct fault_state fault_state;
static char *mprotect_page;
static long mprotect_count;

static const char *step_mmap_munmap(void *state)
{
    (void)state;
    void *page = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        return bench_fail("mmap");
    if (munmap(page, PAGE_BYTES) != 0)
        return bench_fail("munmap");
    return NULL;
}

static const char *setup_mmap_fault(void **state)
{
    fault_state.region = NULL;
    fault_state.next_page = 0;
    *state = &fault_state;
    return NULL;
}

/*
 * One iteration is one first-touch write fault. The region of 4,096 pages is mapped before its
 * first page is touched and unmapped after its last, so those costs are spread over its pages.
 */
static const char *step_mmap_fault(void *state)
{
    struct fault_state *fault = state;
    if (fault->region == NULL) {
        void *region = mmap(NULL, (size_t)FAULT_PAGES * PAGE_BYTES, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (region == MAP_FAILED)
            return bench_fail("mmap");
        fault->region = region;
    }
    fault->region[fault->next_page * PAGE_BYTES] = 1;
    if (++fault->next_page == FAULT_PAGES) {
        if (munmap((void *)fault->region, (size_t)FAULT_PAGES * PAGE_BYTES) != 0)
            return bench_fail("munmap");
        fault->region = NULL;
        fault->next_page = 0;
    }
    return NULL;
}

static void teardown_mmap_fault(void *state)
{
    struct fault_state *fault = state;
    if (fault->region != NULL)
        munmap((void *)fault->region, (size_t)FAULT_PAGES * PAGE_BYTES);
    fault->region = NULL;
}

static const char *setup_mprotect(void **state)
{
    void *page = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        return bench_fail("mmap");
    mprotect_page = page;
    mprotect_page[0] = 1;
    mprotect_count = 0;
    *state = mprotect_page;
    return NULL;
}

/* One mprotect per iteration, alternating read-only and read-write on a populated page. */
static const char *step_mprotect(void *state)
{
    int protection = (mprotect_count++ & 1) == 0 ? PROT_READ : PROT_READ | PROT_WRITE;
    if (mprotect(state, PAGE_BYTES, protection) != 0)
        return bench_fail("mprotect");
    return NULL;
}

static void teardown_mprotect(void *state)
{
    munmap(state, PAGE_BYTES);
}

/* Grow the break by a page and shrink it back. */
static const char *step_brk(void *state)
{
    (void)state;
    if (sbrk(PAGE_BYTES) == (void *)-1)
        return bench_fail("sbrk grow");
    if (sbrk(-PAGE_BYTES) == (void *)-1)
        return bench_fail("sbrk shrink");
    return NULL;
}

static const struct bench_case cases[] = {
    {.name = "mmap_munmap",
     .quick_iterations = 2500,
     .full_iterations = 50000,
     .step = step_mmap_munmap},
    {.name = "mmap_fault",
     .quick_iterations = FAULT_PAGES,
     .full_iterations = 25 * FAULT_PAGES,
     .setup = setup_mmap_fault,
     .step = step_mmap_fault,
     .teardown = teardown_mmap_fault},
    {.name = "mprotect",
     .quick_iterations = 10000,
     .full_iterations = 200000,
     .setup = setup_mprotect,
     .step = step_mprotect,
     .teardown = teardown_mprotect},
    {.name = "brk", .quick_iterations = 2500, .full_iterations = 50000, .step = step_brk},
};

const struct bench_group bench_memory_group = {cases, sizeof(cases) / sizeof(cases[0])};
