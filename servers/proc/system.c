/* prlimit and hostname: resource limits kept per process (rlimit.c) and enforced through the
 * kernel's memory quota, and the one host name of the system. */
#include "proc.h"

#include "kstring.h"

/* Set at boot; every process sees the same name (uname's nodename, gethostname). */
static char proc_hostname[ARAMID_HOSTNAME_MAX] = "aramid";
static size_t proc_hostname_length = 6;

/* The kernel's default quota of a process: half of physical memory (docs/kernel.md). */
static unsigned long proc_quota_default_pages(void)
{
    struct aramid_memory_stats stats;
    long result = sys_kernel_stats(ARAMID_STATS_MEMORY, &stats, sizeof(stats));
    if (result < 0)
        return ARAMID_RLIM_INFINITY;
    return (stats.free_frames + stats.used_frames) / 2;
}

long proc_system_apply_quota(struct proc_entry *entry)
{
    if (entry->process <= 0)
        return 0; /* init: not made by proc, no quota */
    unsigned long pages = proc_rlimits_quota_pages(&entry->rlimits, ARAMID_RLIM_INFINITY);
    if (pages == ARAMID_RLIM_INFINITY)
        pages = proc_quota_default_pages();
    long result = sys_process_set_quota(entry->process, pages);
    return result < 0 ? result : 0;
}

enum proc_action proc_do_prlimit(struct proc_call *call,
                                 const struct aramid_proc_prlimit_request *request,
                                 struct aramid_proc_prlimit_reply *reply)
{
    struct proc_entry *target = call->caller;
    if (request->pid != 0) /* a negative pid names nobody: -ESRCH, as Linux */
        target = proc_table_find_pid(&proc_table, request->pid);
    if (target == NULL || target->state != PROC_ALIVE) {
        reply->result = -ARAMID_ESRCH;
        return PROC_REPLY;
    }
    unsigned long soft, hard;
    long result = proc_rlimits_get(&target->rlimits, request->resource, &soft, &hard);
    if (result == 0 && request->set && !proc_rlimits_may_set(&proc_table, call->caller, target))
        result = -ARAMID_EPERM; /* only its own and its descendants' */
    if (result == 0 && request->set) {
        struct proc_rlimits before = target->rlimits;
        result = proc_rlimits_set(&target->rlimits, request->resource,
                                  (unsigned long)request->soft, (unsigned long)request->hard);
        if (result == 0 && (request->resource == ARAMID_RLIMIT_AS ||
                            request->resource == ARAMID_RLIMIT_DATA)) {
            result = proc_system_apply_quota(target);
            if (result < 0)
                target->rlimits = before;
        }
    }
    if (result == 0) {
        reply->soft = (long)soft;
        reply->hard = (long)hard;
    }
    reply->result = result;
    return PROC_REPLY;
}

void proc_hostname_publish(void)
{
    if (proc_table.ids == NULL)
        return; /* no pages: processes ask */
    struct aramid_proc_host *host =
        (struct aramid_proc_host *)((char *)proc_table.ids + ARAMID_PROC_HOST_OFFSET);
    unsigned long generation = __atomic_load_n(&host->generation, __ATOMIC_RELAXED);
    __atomic_store_n(&host->generation, generation + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    volatile char *name = host->name;
    for (size_t i = 0; i < proc_hostname_length; i++)
        name[i] = proc_hostname[i];
    __atomic_store_n(&host->length, proc_hostname_length, __ATOMIC_RELAXED);
    __atomic_store_n(&host->generation, generation + 2, __ATOMIC_RELEASE);
}

enum proc_action proc_do_hostname(struct proc_call *call,
                                  const struct aramid_proc_hostname_request *request,
                                  struct aramid_proc_hostname_reply *reply)
{
    if (request->set) {
        if (call->buffer_bytes > ARAMID_HOSTNAME_MAX) {
            reply->result = -ARAMID_EINVAL;
            return PROC_REPLY;
        }
        memcpy(proc_hostname, call->buffer, call->buffer_bytes);
        proc_hostname_length = call->buffer_bytes;
        proc_hostname_publish();
        reply->result = 0;
        return PROC_REPLY;
    }
    memcpy(call->reply_buffer, proc_hostname, proc_hostname_length);
    call->reply_bytes = proc_hostname_length;
    reply->result = (long)proc_hostname_length;
    return PROC_REPLY;
}
