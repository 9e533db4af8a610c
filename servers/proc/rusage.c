/* CPU time of processes and their children: what a dying process ran (asked of the kernel
 * before its handle closes), and rusage_children (getrusage RUSAGE_CHILDREN, times()). */
#include "proc.h"

void proc_rusage_capture(struct proc_entry *entry)
{
    struct aramid_cpu_time time;
    entry->cpu_user_ns = entry->children_user_ns;
    entry->cpu_system_ns = entry->children_system_ns;
    if (entry->process > 0 && sys_cpu_time(entry->process, &time) == 0) {
        entry->cpu_user_ns += time.process_user_ns;
        entry->cpu_system_ns += time.process_system_ns;
    }
}

enum proc_action proc_do_rusage_children(struct proc_call *call,
                                         const struct aramid_proc_rusage_children_request *request,
                                         struct aramid_proc_rusage_children_reply *reply)
{
    (void)request;
    reply->result = 0;
    reply->user_ns = (long)call->caller->children_user_ns;
    reply->system_ns = (long)call->caller->children_system_ns;
    return PROC_REPLY;
}
