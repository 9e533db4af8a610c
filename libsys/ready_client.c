/* libsys: the readiness calls any owner server answers (aramid/proto/ready.h). */
#include <aramid/errno.h>
#include <aramid/proto/ready.h>
#include <aramid/sys.h>

/* A watcher (the event server) must not wait for ever on an owner that does not answer: a
 * handle granted by a client may name any endpoint. The deadline ends a call nobody takes;
 * one an owner took and never answers still holds the caller (docs/event.md). */
#define READY_CALL_DEADLINE_NS 100000000ul

static long ready_call(aramid_handle_t object, unsigned label, aramid_handle_t grant,
                       unsigned long word, struct aramid_message *message)
{
    long result;
    do {
        *message = (struct aramid_message){.info = ARAMID_IPC_INFO(label, 0) |
                                                   ARAMID_IPC_DEADLINE,
                                           .deadline = aramid_clock_monotonic_ns() +
                                                       READY_CALL_DEADLINE_NS};
        message->words[0] = word;
        if (grant > 0) {
            message->info |= ARAMID_IPC_GRANT;
            message->words[5] = (unsigned long)grant;
        }
        result = aramid_ipc_call(object, message);
    } while (result == -ARAMID_EINTR);
    return result < 0 ? result : (long)message->words[0];
}

long aramid_ready_poll(aramid_handle_t object, unsigned long *bits, unsigned long *generation,
                       unsigned long *id)
{
    struct aramid_message message;
    long result = ready_call(object, ARAMID_READY_POLL, 0, 0, &message);
    if (result >= 0) {
        *bits = message.words[1];
        *generation = message.words[2];
        *id = message.words[3];
    }
    return result;
}

long aramid_ready_watch(aramid_handle_t object, aramid_handle_t notification,
                        unsigned long flags)
{
    struct aramid_message message;
    return ready_call(object, ARAMID_READY_WATCH, notification, flags, &message);
}

long aramid_ready_unwatch(aramid_handle_t object)
{
    struct aramid_message message;
    return ready_call(object, ARAMID_READY_UNWATCH, 0, 0, &message);
}

long aramid_ready_map(aramid_handle_t owner, unsigned label, unsigned long argument,
                      aramid_handle_t *memory, unsigned long *count)
{
    struct aramid_message message;
    long result = ready_call(owner, label, 0, argument, &message);
    aramid_handle_t granted =
        (message.info & ARAMID_IPC_GRANT) ? (aramid_handle_t)message.words[5] : 0;
    if (result < 0 || granted <= 0) {
        if (granted > 0)
            (void)sys_handle_close(granted);
        return result < 0 ? result : -ARAMID_EPROTO;
    }
    *memory = granted;
    *count = message.words[1];
    return 0;
}
