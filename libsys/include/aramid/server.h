/* libsys: what every server shares, its dispatch table made from a protocol's X-macro list,
 * its receive loop (receive, dispatch, answer, kept calls, the notifications) and the reading of
 * proc's process-event feed. */
#ifndef ARAMID_SERVER_H
#define ARAMID_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include <aramid/proto/proc.h>
#include <aramid/proto/proto.h>
#include <aramid/sys.h>

/*
 * The dispatch table. A server's table.c (with memset and memcpy declared: kstring.h) sets the
 * four ARAMID_SERVER_* names below, then instantiates the table with its protocol's list:
 *
 *   #define ARAMID_SERVER_PROTO event           struct aramid_event_NAME_request / _reply
 *   #define ARAMID_SERVER_HANDLER event         the handler event_do_NAME(call, &request, &reply)
 *   #define ARAMID_SERVER_CALL struct event_call
 *   #define ARAMID_SERVER_RUN ARAMID_SERVER_VOID  handlers return nothing (or ARAMID_SERVER_ACTION:
 *                                               they return the server's action, 0 = answer now)
 *   ARAMID_SERVER_DISPATCH(event_dispatch, ARAMID_EVENT_MESSAGES, ARAMID_EVENT_LABEL_END,
 *                          ARAMID_SERVER_ANY)
 *
 * which defines `int event_dispatch(struct event_call *call, unsigned label, const unsigned long
 * words[], unsigned long reply_words[])`: reply_words are cleared, then an unknown label gets
 * -ENOSYS and a label the guard refuses (guard(call, label) != 0) gets the guard's -errno, both
 * with action 0; else event_decode_NAME copies words into the request struct (all longs, checked
 * to fit the registers in each protocol header), runs the handler and copies the reply struct
 * into reply_words, and the handler's action is returned.
 */
#define ARAMID_SERVER_VOID(run) ((run), 0)
#define ARAMID_SERVER_ACTION(run) ((int)(run))
#define ARAMID_SERVER_ANY(call, label) 0

#define ARAMID_SERVER_NAME(prefix, suffix) ARAMID_PROTO_CAT(prefix, suffix)
#define ARAMID_SERVER_STRUCT(name, part)                                                           \
    struct ARAMID_SERVER_NAME(ARAMID_SERVER_NAME(aramid_, ARAMID_SERVER_PROTO), _##name##_##part)
#define ARAMID_SERVER_DECODER_NAME(name) ARAMID_SERVER_NAME(ARAMID_SERVER_HANDLER, _decode_##name)

#define ARAMID_SERVER_DECODER(label, name, request_list, reply_list)                               \
    static int ARAMID_SERVER_DECODER_NAME(name)(                                                   \
        ARAMID_SERVER_CALL * call, const unsigned long *words, unsigned long *reply_words)         \
    {                                                                                              \
        ARAMID_SERVER_STRUCT(name, request) request;                                               \
        ARAMID_SERVER_STRUCT(name, reply) reply;                                                   \
        memset(&reply, 0, sizeof(reply));                                                          \
        memcpy(&request, words, sizeof(request));                                                  \
        int action = ARAMID_SERVER_RUN(                                                            \
            ARAMID_SERVER_NAME(ARAMID_SERVER_HANDLER, _do_##name)(call, &request, &reply));        \
        memcpy(reply_words, &reply, sizeof(reply));                                                \
        return action;                                                                             \
    }
#define ARAMID_SERVER_ENTRY(label, name, request_list, reply_list)                                 \
    [label] = ARAMID_SERVER_DECODER_NAME(name),

#define ARAMID_SERVER_DISPATCH(function, messages, label_end, guard)                               \
    messages(ARAMID_SERVER_DECODER)                                                                \
    typedef int (*function##_decoder)(ARAMID_SERVER_CALL *, const unsigned long *,                 \
                                      unsigned long *);                                            \
    static const function##_decoder function##_decoders[label_end] = {                             \
        messages(ARAMID_SERVER_ENTRY)};                                                            \
    int function(ARAMID_SERVER_CALL *call, unsigned label,                                         \
                 const unsigned long words[ARAMID_IPC_REGISTERS],                                  \
                 unsigned long reply_words[ARAMID_IPC_REGISTERS])                                  \
    {                                                                                              \
        memset(reply_words, 0, ARAMID_IPC_REGISTERS * sizeof(unsigned long));                      \
        long refused = label >= (unsigned)(label_end) || function##_decoders[label] == NULL        \
                           ? -ARAMID_ENOSYS                                                        \
                           : guard(call, label);                                                   \
        if (refused != 0) {                                                                        \
            reply_words[0] = (unsigned long)refused;                                               \
            return 0;                                                                              \
        }                                                                                          \
        return function##_decoders[label](call, words, reply_words);                               \
    }

/*
 * The end of a call a handler ran: a handle that came with the call and that no handler took
 * (granted > 0) is closed; unless the handler kept the call, *message becomes the answer (label,
 * reply words, reply_bytes of the IPC buffer, grant moved back). true: answer now.
 */
static inline bool aramid_server_finish(struct aramid_message *message, unsigned label,
                                        const unsigned long reply[ARAMID_IPC_REGISTERS],
                                        aramid_handle_t granted, bool kept, size_t reply_bytes,
                                        aramid_handle_t grant)
{
    if (granted > 0)
        (void)sys_handle_close(granted); /* a bad value fails harmlessly */
    if (kept)
        return false;
    aramid_message_answer(message, label, reply, reply_bytes, grant);
    return true;
}

/* The handle a call moved to the server (mr5 with ARAMID_IPC_GRANT), 0: none. */
static inline aramid_handle_t aramid_message_granted(const struct aramid_message *message)
{
    return (message->info & ARAMID_IPC_GRANT) ? (aramid_handle_t)message->words[5] : 0;
}

/*
 * The receive loop of a server with one thread (every server but init). Each message is one of:
 * - a notification: feed_key's child (proc's process events) runs feed (may be NULL: no feed),
 *   any other key goes to notified(bits, key) (may be NULL);
 * - a cancellation of a call the server keeps: cancel(token) answers it (-EINTR or partial);
 * - a call: handle(message, buffer) runs it and returns true when *message is its answer now,
 *   false when it was kept (answered later with aramid_ipc_reply).
 * After each message settle() runs (may be NULL). An answer goes with the next wait in one
 * call (ipc_reply_wait, the fast path) unless reply_first() (may be NULL) says that service()
 * must run after the answer (it reuses the IPC buffer): then the answer goes first by token,
 * service() runs, and the loop waits. service runs after every message that was not answered
 * with the fast path. An answer the kernel refuses (a bad grant, a byte count past the buffer)
 * does not stop the server: it waits again. Serves endpoint; returns (1) only when receiving
 * fails, which it reports under name.
 * static inline so that a server's loop calls its own functions directly (no indirect call on
 * the IPC path): each server passes a static const struct.
 */
/* For a server's handle function: inlined into its loop as it was before the loop was shared. */
#define ARAMID_SERVER_INLINE static inline __attribute__((always_inline))

struct aramid_server_loop {
    const char *name;
    unsigned long feed_key;
    void (*feed)(void);
    void (*notified)(unsigned long bits, unsigned long key);
    void (*cancel)(unsigned long token);
    bool (*handle)(struct aramid_message *message, void *buffer);
    void (*settle)(void);
    bool (*reply_first)(void);
    void (*service)(void);
};

static inline int aramid_server_serve(const struct aramid_server_loop *loop,
                                      aramid_handle_t endpoint)
{
    void *buffer = (void *)sys_ipc_buffer();
    struct aramid_message message = {0};
    long result = aramid_ipc_wait(endpoint, &message);
    for (;;) {
        if (result < 0) {
            aramid_printf("%s: receive failed (%ld), stopping\n", loop->name, result);
            return 1;
        }
        bool answer = false;
        if (message.info & ARAMID_IPC_NOTIFIED) {
            if (loop->feed != NULL && message.words[1] == loop->feed_key)
                loop->feed();
            else if (loop->notified != NULL)
                loop->notified(message.words[0], message.words[1]);
        } else if (message.info & ARAMID_IPC_CANCEL) {
            loop->cancel(message.reply);
        } else {
            answer = loop->handle(&message, buffer);
        }
        if (loop->settle != NULL)
            loop->settle();
        if (answer && (loop->reply_first == NULL || !loop->reply_first())) {
            /* Kept calls answered while handling used ipc_reply; this one is still the
             * thread's last received call, so reply_wait answers it. */
            result = aramid_ipc_reply_wait(endpoint, &message);
            if (result < 0) /* the kernel refused the answer: only the wait is left to do */
                result = aramid_ipc_wait(endpoint, &message);
            continue;
        }
        if (answer)
            (void)aramid_ipc_reply(message.reply, &message);
        if (loop->service != NULL)
            loop->service();
        result = aramid_ipc_wait(endpoint, &message);
    }
}

/* Answers a kept call (reply token): result, then count words (those past the registers, and
 * with a grant the one in its register, are dropped), buffer_bytes of the IPC buffer and grant
 * (a handle moved to the caller; 0: none). 0, or -ESRCH when its caller is gone. */
static inline long aramid_server_answer(unsigned long token, long result, const long *words,
                                        size_t count, size_t buffer_bytes, aramid_handle_t grant)
{
    unsigned long registers[ARAMID_IPC_REGISTERS] = {(unsigned long)result};
    size_t room = ARAMID_IPC_REGISTERS - 1 - (grant > 0 ? 1 : 0);
    for (size_t i = 0; i < count && i < room; i++)
        registers[i + 1] = (unsigned long)words[i];
    struct aramid_message message = {0};
    aramid_message_answer(&message, 0, registers, buffer_bytes, grant);
    return aramid_ipc_reply(token, &message);
}

/*
 * proc's process-event feed (aramid/proto/proc.h): reads every queued record and calls
 * each(record) for every record (may be NULL; spawn records reach only it), then fork(parent,
 * child) for a fork and gone(process, kind) for an exit or an exec (kind says which; the new
 * image of an exec holds nothing). Not re-entered: a call from inside them (a destroy that
 * reads the feed first) returns at once. Nothing without proc (proc <= 0).
 */
struct aramid_server_feed {
    void (*each)(const struct aramid_proc_event *record);
    void (*fork)(long parent, long child);
    void (*gone)(long process, long kind);
};
void aramid_server_feed_read(const struct aramid_server_feed *feed, aramid_handle_t proc);

#endif
