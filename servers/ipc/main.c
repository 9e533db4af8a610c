/* The ipc server: its start from init's hand-over page and the receive loop. */
#include "ipc.h"

#include <aramid/server.h>

#include "kstring.h"

struct ipc_globals ipc;

static long ipc_start(unsigned long argument)
{
    struct aramid_server_handles handles = {0};
    long result = aramid_server_start(argument, ARAMID_IPCS_BOOT_MAGIC, IPC_KEY_PROC, &handles);
    ipc.endpoint = handles.endpoint;
    ipc.space = handles.space;
    ipc.proc = handles.proc;
    ipc.notifications = handles.notifications;
    ipc.proc_feed = handles.proc_feed;
    return result;
}

/* Handles one call; returns true when it is answered now (message holds the reply). */
ARAMID_SERVER_INLINE bool ipc_handle(struct aramid_message *message, void *buffer)
{
    unsigned label = ARAMID_IPC_LABEL(message->info);
    struct ipc_call call = {
        .sender = message->sender,
        .token = message->reply,
        .granted = aramid_message_granted(message),
        .buffer = buffer,
        .request_bytes = ARAMID_IPC_BUFFER_BYTES(message->info),
    };
    unsigned long reply[ARAMID_IPC_REGISTERS];
    memset(reply, 0, sizeof(reply));
    if (message->badge != 0) {
        call.object = ipc_object_find(message->badge >> ARAMID_IPCS_BADGE_SHIFT);
        call.access = message->badge & ((1ul << ARAMID_IPCS_BADGE_SHIFT) - 1);
        if (call.object == NULL) {
            reply[0] = (unsigned long)-ARAMID_EBADF;
            goto answer;
        }
    }
    if (call.request_bytes > ARAMID_IPC_BUFFER_SIZE) {
        reply[0] = (unsigned long)-ARAMID_EINVAL;
        goto answer;
    }
    ipc_dispatch(&call, label, message->words, reply);
answer:
    return aramid_server_finish(message, label, reply, call.granted, call.kept, call.reply_bytes,
                                call.grant);
}

/* System V semaphores keep their own waits; the others are kept receives of message queues. */
static void ipc_cancel_kept(unsigned long token)
{
    if (!ipc_sysv_cancel(token))
        ipc_cancel(token);
}

static const struct aramid_server_loop ipc_loop = {
    .name = "ipc",
    .feed_key = IPC_KEY_PROC,
    .feed = ipc_objects_feed,
    .cancel = ipc_cancel_kept,
    .handle = ipc_handle,
};

int aramid_main(unsigned long argument)
{
    long result = ipc_start(argument);
    if (result < 0) {
        aramid_printf("ipc: bad start (%ld)\n", result);
        return 1;
    }
    ipc.buffer = (void *)sys_ipc_buffer();
    return aramid_server_serve(&ipc_loop, ipc.endpoint);
}
