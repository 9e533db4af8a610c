/* setpgid, getpgid, setsid and getsid: the proc handlers over proc_group.c's rules. */
#include "proc.h"

enum proc_action proc_do_setpgid(struct proc_call *call,
                                 const struct aramid_proc_setpgid_request *request,
                                 struct aramid_proc_setpgid_reply *reply)
{
    reply->result = proc_group_setpgid(&proc_table, call->caller, request->pid, request->pgid);
    return PROC_REPLY;
}

enum proc_action proc_do_getpgid(struct proc_call *call,
                                 const struct aramid_proc_getpgid_request *request,
                                 struct aramid_proc_getpgid_reply *reply)
{
    reply->result = proc_group_getpgid(&proc_table, call->caller, request->pid);
    return PROC_REPLY;
}

enum proc_action proc_do_setsid(struct proc_call *call,
                                const struct aramid_proc_setsid_request *request,
                                struct aramid_proc_setsid_reply *reply)
{
    (void)request;
    reply->result = proc_group_setsid(&proc_table, call->caller);
    return PROC_REPLY;
}

enum proc_action proc_do_getsid(struct proc_call *call,
                                const struct aramid_proc_getsid_request *request,
                                struct aramid_proc_getsid_reply *reply)
{
    reply->result = proc_group_getsid(&proc_table, call->caller, request->pid);
    return PROC_REPLY;
}
