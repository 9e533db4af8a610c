/* SDK test: the heap grows by many MiB through sbrk and shrinks again, giving its frames back to
 * the kernel (kernel_stats sees the free-frame count return); anonymous mmap. */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <aramid/sys.h>

#include "memory_blocks.h"

static unsigned long free_frames(void)
{
    struct aramid_memory_stats stats;
    if (sys_kernel_stats(ARAMID_STATS_MEMORY, &stats, sizeof(stats)) != sizeof(stats))
        return 0;
    return stats.free_frames;
}

int main(void)
{
    char *start = sbrk(0);
    size_t total = memory_blocks_fill_and_free(64 * 1024 * 1024 / 4096, 4096);
    printf("heap: %zu MiB in blocks, checked and freed\n", total >> 20);
    char *big = malloc(16 << 20); /* newlib has no mmap threshold: sbrk again */
    if (big == NULL)
        return 1;
    /* volatile: at -O2 a memset of memory freed unread is a dead store the compiler removes */
    for (size_t offset = 0; offset < (16u << 20); offset += 4096)
        ((volatile char *)big)[offset] = (char)0xab;
    char *peak = sbrk(0);
    unsigned long frames_at_peak = free_frames();
    free(big);
    malloc_trim(0);
    char *after = sbrk(0);
    unsigned long frames_after = free_frames();
    /* 16 MiB is 4096 frames; allow for page tables and the allocator's own pages */
    printf("heap: trimming gave back at least 4000 frames: %s\n",
           frames_after >= frames_at_peak + 4000 ? "yes" : "no");
    if (frames_after < frames_at_peak + 4000)
        return 5;
    printf("heap: grew by %ld MiB, trimmed back to %ld KiB\n", (long)((peak - start) >> 20),
           (long)((after - start) >> 10));
    if (peak - start < (16 << 20) || after >= peak)
        return 2;

    size_t length = 3 * 4096 + 100;
    unsigned char *mapping =
        mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED)
        return 3;
    for (size_t i = 0; i < length; i++) {
        if (mapping[i] != 0)
            return 4;
        mapping[i] = (unsigned char)i;
    }
    if (mprotect(mapping, 4096, PROT_READ) != 0 || munmap(mapping, length) != 0)
        return 5;
    if (mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 1, 0) != MAP_FAILED || errno != ENODEV)
        return 6;
    if (munmap((void *)1, 4096) == 0 || errno != EINVAL)
        return 7;
    void *shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED || ((char *)shared)[8191] != 0)
        return 8;
    printf("mmap: anonymous private and shared mappings ok\n");
    return 0;
}
