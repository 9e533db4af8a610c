/* The sock server: its start from init's hand-over page and the receive loop. */
#include "sock.h"

#include <aramid/server.h>

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
    if (result >= 0 && sock_ready_start() < 0)
        aramid_printf("sock: no readiness words (watchers ask ready_poll)\n");
    return result;
}

/* Handles one call; returns true when it is answered now (message holds the reply). */
ARAMID_SERVER_INLINE bool sock_handle(struct aramid_message *message, void *buffer)
{
    unsigned label = ARAMID_IPC_LABEL(message->info);
    struct sock_call call = {
        .sender = message->sender,
        .token = message->reply,
        .granted = aramid_message_granted(message),
        .buffer = buffer,
        .buffer_bytes = ARAMID_IPC_BUFFER_BYTES(message->info),
    };
    unsigned long reply[ARAMID_IPC_REGISTERS] = {0};
    call.event = message->badge == ARAMID_SOCK_BADGE_EVENT;
    if (message->badge != 0 && !call.event && (call.sock = sock_find(message->badge)) == NULL)
        reply[0] = (unsigned long)-ARAMID_EBADF;
    else if (call.buffer_bytes > ARAMID_IPC_BUFFER_SIZE)
        reply[0] = (unsigned long)-ARAMID_EINVAL;
    else
        sock_dispatch(&call, label, message->words, reply);
    return aramid_server_finish(message, label, reply, call.granted, call.kept, call.reply_bytes,
                                call.grant);
}

static const struct aramid_server_loop sock_loop = {
    .name = "sock",
    .feed_key = SOCK_KEY_PROC,
    .feed = sock_feed,
    .cancel = sock_cancel,
    .handle = sock_handle,
};

int aramid_main(unsigned long argument)
{
    long result = sock_start(argument);
    if (result < 0) {
        aramid_printf("sock: bad start (%ld)\n", result);
        return 1;
    }
    return aramid_server_serve(&sock_loop, sockd.endpoint);
}
