/* posix-shim System V message queues: msgget/msgsnd/msgrcv/msgctl over the ipc server's queues
 * (kept calls while a queue is full or has no matching message). */
#include <errno.h>
#include <string.h>
#include <sys/msg.h>
#include <unistd.h>

#include "ipc_client.h"
#include "shim.h"
#include "sysv.h"

#define SYSV_MSGMAX 8192
#define SYSV_MSGMNB 16384 /* a queue's bytes (the server's limit, Linux's default) */

int msgget(key_t key, int flags)
{
    return (int)shim_return(sysv_get(ARAMID_IPCS_SYSV_MSG, key, 0, flags, 0));
}

/* A send (words as the protocol says) with the text in the IPC buffer or a granted memory
 * object, prepared again for each try; EINTR after a handler ran (never restarted, as on
 * Linux), otherwise sent again. */
static long sysv_msg_send(const long words[5], const void *text, size_t length)
{
    struct signal_watch watch;
    signal_watch_start(&watch);
    for (;;) {
        aramid_handle_t grant = 0;
        long bytes = ipc_bulk_prepare(text, length, &grant);
        if (bytes < 0)
            return bytes;
        struct aramid_message message = {
            .info = ARAMID_IPC_INFO(ARAMID_IPCS_sysv_msgsnd, (size_t)bytes)};
        for (unsigned i = 0; i < 5; i++)
            message.words[i] = (unsigned long)words[i];
        if (grant > 0) {
            message.info |= ARAMID_IPC_GRANT;
            message.words[5] = (unsigned long)grant;
        }
        long result = aramid_ipc_call(aramid_proc_self.ipc, &message);
        if (result < 0 && grant > 0)
            (void)sys_handle_close(grant);
        if (result == 0)
            result = (long)message.words[0];
        result = shim_error_from_sys(result);
        if (result != -EINTR || signal_watch_interrupts(&watch, false))
            return result;
    }
}

int msgsnd(int id, const void *message, size_t length, int flags)
{
    if (length > SYSV_MSGMAX || (long)length < 0 || id < 0)
        return (int)shim_return(-EINVAL);
    long type;
    long result = shim_copy_in(&type, message, sizeof(type));
    if (result == 0 && type < 1)
        result = -EINVAL;
    if (result == 0 && aramid_proc_self.ipc <= 0)
        result = -ENOSYS;
    if (result < 0)
        return (int)shim_return(result);
    long words[5] = {id, type, (long)length, flags, getpid()};
    return (int)shim_return(sysv_msg_send(words, (const char *)message + sizeof(long), length));
}

ssize_t msgrcv(int id, void *message, size_t length, long type, int flags)
{
    if (id < 0 || (long)length < 0)
        return shim_return(-EINVAL);
    if (aramid_proc_self.ipc <= 0)
        return shim_return(-ENOSYS);
    long words[5] = {id, type, (long)length, flags, getpid()};
    struct signal_watch watch;
    signal_watch_start(&watch);
    for (;;) {
        struct aramid_message reply = {.info = ARAMID_IPC_INFO(ARAMID_IPCS_sysv_msgrcv, 0)};
        for (unsigned i = 0; i < 5; i++)
            reply.words[i] = (unsigned long)words[i];
        long result = aramid_ipc_call(aramid_proc_self.ipc, &reply);
        if (result == 0)
            result = (long)reply.words[0];
        result = shim_error_from_sys(result);
        if (result == -EINTR && !signal_watch_interrupts(&watch, false))
            continue;
        if (result < 0)
            return shim_return(result);
        long got_type = (long)reply.words[1];
        long copied = shim_copy_out(message, &got_type, sizeof(got_type));
        if (copied == 0)
            copied = ipc_bulk_deliver(&reply, (char *)message + sizeof(long), (size_t)result);
        else if (reply.info & ARAMID_IPC_GRANT)
            (void)sys_handle_close((aramid_handle_t)reply.words[5]);
        return copied < 0 ? shim_return(copied) : result;
    }
}

/* IPC_INFO (the limits, Linux's formulas over them) and MSG_INFO (in use: queues in msgpool,
 * messages in msgmap, bytes in msgtql), as a struct msginfo. */
static long msg_control_info(int command, void *buffer)
{
    struct aramid_ipcs_sysv_info info;
    long highest = sysv_info(ARAMID_IPCS_SYSV_MSG, command, &info);
    if (highest < 0)
        return highest;
    struct msginfo limits = {
        .msgpool = ARAMID_IPCS_SYSV_OBJECTS_MAX * SYSV_MSGMNB / 1024,
        .msgmap = SYSV_MSGMNB,
        .msgmax = SYSV_MSGMAX,
        .msgmnb = SYSV_MSGMNB,
        .msgmni = ARAMID_IPCS_SYSV_OBJECTS_MAX,
        .msgssz = 16,
        .msgtql = SYSV_MSGMNB,
        .msgseg = 0xffff,
    };
    if (command == MSG_INFO) {
        limits.msgpool = (int)info.used;
        limits.msgmap = (int)info.units;
        limits.msgtql = (int)info.bytes;
    }
    long copied = shim_copy_out(buffer, &limits, sizeof(limits));
    return copied < 0 ? copied : highest;
}

int msgctl(int id, int command, struct msqid_ds *buffer)
{
    if (id < 0)
        return (int)shim_return(-EINVAL);
    struct aramid_ipcs_sysv_stat *stat = (struct aramid_ipcs_sysv_stat *)sys_ipc_buffer();
    if (command == IPC_SET) {
        struct msqid_ds wanted;
        long copied = shim_copy_in(&wanted, buffer, sizeof(wanted));
        if (copied < 0)
            return (int)shim_return(copied);
        *stat = (struct aramid_ipcs_sysv_stat){.mode = wanted.msg_perm.mode,
                                               .size = (long)wanted.msg_qbytes};
        return (int)shim_return(sysv_control(ARAMID_IPCS_SYSV_MSG, id, 0, command, 0,
                                             sizeof(*stat), NULL));
    }
    if (command == IPC_INFO || command == MSG_INFO)
        return (int)shim_return(msg_control_info(command, buffer));
    /* MSG_STAT, MSG_STAT_ANY: id is an index; the answer is the queue's id. */
    bool listing = command == MSG_STAT || command == MSG_STAT_ANY;
    if (command != IPC_STAT && command != IPC_RMID && !listing)
        return (int)shim_return(-EINVAL);
    long result = sysv_control(ARAMID_IPCS_SYSV_MSG, id, 0, command, 0, 0, NULL);
    if (result < 0 || (command != IPC_STAT && !listing))
        return (int)shim_return(result);
    struct msqid_ds status;
    memset(&status, 0, sizeof(status));
    sysv_perm_fill(&status.msg_perm, stat);
    status.msg_stime = stat->attach_time;
    status.msg_rtime = stat->detach_time;
    status.msg_ctime = stat->change_time;
    status.__msg_cbytes = (unsigned long)stat->bytes;
    status.msg_qnum = (msgqnum_t)stat->count;
    status.msg_qbytes = (msglen_t)stat->size;
    status.msg_lspid = (pid_t)stat->last;
    status.msg_lrpid = (pid_t)stat->last_receiver;
    long copied = shim_copy_out(buffer, &status, sizeof(status));
    return (int)shim_return(copied < 0 ? copied : result);
}
