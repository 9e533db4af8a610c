/* The ipc server: its start from init's hand-over page and the receive loop. */
#include "ipc.h"

#include "kstring.h"

struct ipc_globals ipc;

long ipc_answer(unsigned long token, long result, const long *words, size_t count,
                size_t buffer_bytes)
{
    struct aramid_message message = {.info = ARAMID_IPC_INFO(0, buffer_bytes)};
    message.words[0] = (unsigned long)result;
    for (size_t i = 0; i < count && i + 1 < ARAMID_IPC_REGISTERS; i++)
        message.words[i + 1] = (unsigned long)words[i];
    return aramid_ipc_reply(token, &message);
}

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
static bool ipc_handle(struct aramid_message *message, void *buffer)
{
    unsigned label = ARAMID_IPC_LABEL(message->info);
    struct ipc_call call = {
        .sender = message->sender,
        .token = message->reply,
        .granted = (message->info & ARAMID_IPC_GRANT) ? (aramid_handle_t)message->words[5] : 0,
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
    if (call.granted > 0)
        (void)sys_handle_close(call.granted); /* a grant no handler took */
    if (call.kept)
        return false;
    aramid_message_answer(message, label, reply, call.reply_bytes, call.grant);
    return true;
}

int aramid_main(unsigned long argument)
{
    long result = ipc_start(argument);
    if (result < 0) {
        aramid_printf("ipc: bad start (%ld)\n", result);
        return 1;
    }
    void *buffer = (void *)sys_ipc_buffer();
    ipc.buffer = buffer;
    struct aramid_message message = {0};
    result = aramid_ipc_wait(ipc.endpoint, &message);
    for (;;) {
        if (result < 0) {
            aramid_printf("ipc: receive failed (%ld), stopping\n", result);
            return 1;
        }
        bool answer = false;
        if (message.info & ARAMID_IPC_NOTIFIED) {
            if (message.words[1] == IPC_KEY_PROC)
                ipc_objects_feed();
        } else if (message.info & ARAMID_IPC_CANCEL) {
            if (!ipc_sysv_cancel(message.reply))
                ipc_cancel(message.reply);
        } else {
            answer = ipc_handle(&message, buffer);
        }
        if (answer) {
            result = aramid_ipc_reply_wait(ipc.endpoint, &message);
            continue;
        }
        result = aramid_ipc_wait(ipc.endpoint, &message);
    }
}
