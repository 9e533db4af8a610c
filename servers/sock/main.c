/* The sock server: its start from init's hand-over page and the receive loop. */
#include "sock.h"

#include "kstring.h"

struct sock_globals sockd;

static long sock_start(unsigned long argument)
{
    struct aramid_server_handles handles = {0};
    long result = aramid_server_start(argument, ARAMID_SOCK_BOOT_MAGIC, SOCK_KEY_PROC, &handles);
    sockd.endpoint = handles.endpoint;
    sockd.space = handles.space;
    sockd.proc = handles.proc;
    sockd.notifications = handles.notifications;
    sockd.proc_feed = handles.proc_feed;
    sockd.event = handles.event;
    sockd.vfs = handles.vfs;
    return result;
}

/* Handles one call; returns true when it is answered now (message holds the reply). */
static bool sock_handle(struct aramid_message *message, unsigned char *buffer)
{
    unsigned label = ARAMID_IPC_LABEL(message->info);
    struct sock_call call = {
        .sender = message->sender,
        .token = message->reply,
        .granted = (message->info & ARAMID_IPC_GRANT) ? (aramid_handle_t)message->words[5] : 0,
        .buffer = buffer,
        .buffer_bytes = ARAMID_IPC_BUFFER_BYTES(message->info),
    };
    unsigned long reply[ARAMID_IPC_REGISTERS] = {0};
    if (message->badge != 0 && (call.sock = sock_find(message->badge)) == NULL)
        reply[0] = (unsigned long)-ARAMID_EBADF;
    else if (call.buffer_bytes > ARAMID_IPC_BUFFER_SIZE)
        reply[0] = (unsigned long)-ARAMID_EINVAL;
    else
        sock_dispatch(&call, label, message->words, reply);
    if (call.granted > 0)
        (void)sys_handle_close(call.granted); /* a grant no handler took */
    if (call.kept)
        return false;
    aramid_message_answer(message, label, reply, call.reply_bytes, call.grant);
    return true;
}

int aramid_main(unsigned long argument)
{
    long result = sock_start(argument);
    if (result < 0) {
        aramid_printf("sock: bad start (%ld)\n", result);
        return 1;
    }
    unsigned char *buffer = (unsigned char *)sys_ipc_buffer();
    struct aramid_message message = {0};
    result = aramid_ipc_wait(sockd.endpoint, &message);
    for (;;) {
        if (result < 0) {
            aramid_printf("sock: receive failed (%ld), stopping\n", result);
            return 1;
        }
        if (message.info & ARAMID_IPC_NOTIFIED) {
            if (message.words[1] == SOCK_KEY_PROC)
                sock_feed();
        } else if (message.info & ARAMID_IPC_CANCEL) {
            sock_cancel(message.reply);
        } else if (sock_handle(&message, buffer)) {
            /* Kept calls answered while handling used ipc_reply; this one is still the
             * thread's last received call, so reply_wait answers it. */
            result = aramid_ipc_reply_wait(sockd.endpoint, &message);
            continue;
        }
        result = aramid_ipc_wait(sockd.endpoint, &message);
    }
}
