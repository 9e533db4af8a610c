/* libsys: the event, sock and ipc servers' client stubs, generated from their protocol lists. */
#include <aramid/proto/event.h>
#include <aramid/proto/ipc.h>
#include <aramid/proto/sock.h>
#include <aramid/sys.h>
#include <aramid/proto/proc.h> /* aramid_proc_self: named calls */

#include "kstring.h"

/* One call: request words in mr0.. (mr5 a granted handle), buffer_bytes of the IPC buffer.
 * A queued call ended by an upcall (-EINTR before the server took it) is sent again; a
 * granted handle that has moved cannot be sent twice, so then -EINTR is returned. */
static long server_client_call(aramid_handle_t endpoint, unsigned label, const void *request,
                               size_t request_size, size_t buffer_bytes, aramid_handle_t grant,
                               long *reply, size_t reply_size, aramid_handle_t *granted)
{
    struct aramid_message message;
    long result;
    do {
        message = (struct aramid_message){.info = ARAMID_IPC_INFO(label, buffer_bytes)};
        memcpy(message.words, request, request_size);
        if (grant > 0) {
            message.info |= ARAMID_IPC_GRANT;
            message.words[5] = (unsigned long)grant;
        }
        result = aramid_ipc_call(endpoint, &message);
    } while (result == -ARAMID_EINTR && grant <= 0);
    if (granted != NULL)
        *granted = 0;
    if (result < 0)
        return ARAMID_PROTO_SERVER_GONE(result);
    memcpy(reply, message.words, reply_size);
    if (message.info & ARAMID_IPC_GRANT) {
        if (granted != NULL)
            *granted = (aramid_handle_t)message.words[5];
        else
            (void)sys_handle_close((aramid_handle_t)message.words[5]);
    }
    return reply[0];
}

#define SERVER_CLIENT_STUB(prefix, label, name)                                                    \
    long aramid_##prefix##_call_##name(aramid_handle_t endpoint,                                   \
                                       const struct aramid_##prefix##_##name##_request *request,  \
                                       size_t buffer_bytes, aramid_handle_t grant,                 \
                                       struct aramid_##prefix##_##name##_reply *reply,             \
                                       aramid_handle_t *granted)                                   \
    {                                                                                              \
        return server_client_call(endpoint, label, request, sizeof(*request), buffer_bytes,        \
                                  grant, &reply->result, sizeof(*reply), granted);                 \
    }
#define EVENT_CLIENT_STUB(label, name, request, reply) SERVER_CLIENT_STUB(event, label, name)
#define SOCK_CLIENT_STUB(label, name, request, reply) SERVER_CLIENT_STUB(sock, label, name)
#define IPCS_CLIENT_STUB(label, name, request, reply) SERVER_CLIENT_STUB(ipcs, label, name)
ARAMID_EVENT_MESSAGES(EVENT_CLIENT_STUB)
ARAMID_SOCK_MESSAGES(SOCK_CLIENT_STUB)
ARAMID_IPCS_MESSAGES(IPCS_CLIENT_STUB)
#undef EVENT_CLIENT_STUB
#undef SOCK_CLIENT_STUB
#undef IPCS_CLIENT_STUB
#undef SERVER_CLIENT_STUB

long aramid_event_wait(aramid_handle_t epoll, long maxevents, unsigned long deadline)
{
    struct aramid_message message = {.info = ARAMID_IPC_INFO(ARAMID_EVENT_epoll_wait, 0)};
    message.words[0] = (unsigned long)maxevents;
    message.words[1] = deadline;
    if (deadline > ARAMID_EVENT_DEADLINE_NOW) {
        message.info |= ARAMID_IPC_DEADLINE;
        message.deadline = deadline;
    }
    long result = aramid_ipc_call(epoll, &message);
    if (result == -ARAMID_ETIMEDOUT)
        return 0; /* the deadline passed before the server took the call */
    return result < 0 ? ARAMID_PROTO_SERVER_GONE(result) : (long)message.words[0];
}

long aramid_event_call_named(unsigned label, unsigned long id, unsigned long cookie,
                             const void *request, size_t request_size, long *reply,
                             size_t reply_size)
{
    if (request_size > ARAMID_EVENT_NAMED_COOKIE * sizeof(long))
        return -ARAMID_EINVAL;
    struct aramid_message message;
    long result;
    do {
        message = (struct aramid_message){.info = ARAMID_IPC_INFO(label, 0)};
        memcpy(message.words, request, request_size);
        message.words[ARAMID_EVENT_NAMED_COOKIE] = cookie;
        message.words[ARAMID_EVENT_NAMED_ID] = id;
        result = aramid_ipc_call(aramid_proc_self.event, &message);
    } while (result == -ARAMID_EINTR);
    if (result < 0)
        return ARAMID_PROTO_SERVER_GONE(result);
    memcpy(reply, message.words, reply_size);
    if (message.info & ARAMID_IPC_GRANT)
        (void)sys_handle_close((aramid_handle_t)message.words[5]);
    return reply[0];
}
