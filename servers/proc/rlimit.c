/* Resource limits of a process: defaults, inheritance, Linux's rules for changing them. */
#include "rlimit.h"

#include <aramid/errno.h>

#include "proc_table.h"

#define PROC_RLIMIT_PAGE 4096ul

void proc_rlimits_default(struct proc_rlimits *limits)
{
    for (size_t r = 0; r < ARAMID_RLIMIT_COUNT; r++) {
        limits->soft[r] = ARAMID_RLIM_INFINITY;
        limits->hard[r] = ARAMID_RLIM_INFINITY;
    }
    limits->soft[ARAMID_RLIMIT_STACK] = 8ul << 20;
    limits->soft[ARAMID_RLIMIT_CORE] = 0;
    limits->soft[ARAMID_RLIMIT_NOFILE] = 1024; /* as Linux: soft 1024, hard the table size */
    limits->hard[ARAMID_RLIMIT_NOFILE] = ARAMID_RLIMIT_NOFILE_MAX;
    limits->soft[ARAMID_RLIMIT_NPROC] = PROC_TABLE_SIZE;
    limits->hard[ARAMID_RLIMIT_NPROC] = PROC_TABLE_SIZE;
    limits->soft[ARAMID_RLIMIT_MEMLOCK] = 8ul << 20;
    limits->hard[ARAMID_RLIMIT_MEMLOCK] = 8ul << 20;
}

void proc_rlimits_inherit(struct proc_rlimits *limits, const struct proc_rlimits *parent)
{
    if (parent == NULL)
        proc_rlimits_default(limits);
    else
        *limits = *parent;
}

static bool proc_rlimits_valid(long resource)
{
    return resource >= 0 && resource < ARAMID_RLIMIT_COUNT;
}

long proc_rlimits_set(struct proc_rlimits *limits, long resource, unsigned long soft,
                      unsigned long hard)
{
    if (!proc_rlimits_valid(resource) || soft > hard)
        return -ARAMID_EINVAL;
    if (resource == ARAMID_RLIMIT_NOFILE && hard > ARAMID_RLIMIT_NOFILE_MAX)
        return -ARAMID_EPERM;
    limits->soft[resource] = soft;
    limits->hard[resource] = hard;
    return 0;
}

long proc_rlimits_get(const struct proc_rlimits *limits, long resource, unsigned long *soft,
                      unsigned long *hard)
{
    if (!proc_rlimits_valid(resource))
        return -ARAMID_EINVAL;
    *soft = limits->soft[resource];
    *hard = limits->hard[resource];
    return 0;
}

bool proc_rlimits_may_set(struct proc_table *table, const struct proc_entry *caller,
                          const struct proc_entry *target)
{
    /* Parents are live entries with smaller depth; PROC_TABLE_SIZE steps bound the walk. */
    const struct proc_entry *at = target;
    for (size_t steps = 0; at != NULL && steps <= PROC_TABLE_SIZE; steps++) {
        if (at == caller)
            return true;
        at = proc_table_find_pid(table, at->parent);
    }
    return false;
}

bool proc_rlimits_allow_process(const struct proc_rlimits *limits, size_t processes)
{
    return processes < limits->soft[ARAMID_RLIMIT_NPROC];
}

unsigned long proc_rlimits_quota_pages(const struct proc_rlimits *limits,
                                       unsigned long unlimited_pages)
{
    unsigned long bytes = limits->soft[ARAMID_RLIMIT_AS];
    if (limits->soft[ARAMID_RLIMIT_DATA] < bytes)
        bytes = limits->soft[ARAMID_RLIMIT_DATA];
    if (bytes == ARAMID_RLIM_INFINITY)
        return unlimited_pages;
    return bytes / PROC_RLIMIT_PAGE;
}
