/* libsys vfs client: stubs generated from ARAMID_VFS_MESSAGES, and the calls that move handles. */
#include <aramid/proto/proc.h>
#include <aramid/proto/vfs.h>
#include <aramid/sys.h>

#include "kstring.h"

/* One call to vfs: request words in mr0.., buffer_bytes from the IPC buffer; the reply words
 * and the reply's buffer byte count back. */
static long vfs_client_call(struct aramid_message *message, const void *request,
                            size_t request_size, long *reply, size_t reply_size,
                            size_t *reply_bytes)
{
    if (aramid_proc_self.vfs <= 0)
        return -ARAMID_ENOSYS;
    memcpy(message->words, request, request_size);
    long result;
    /* -EINTR: the call was still queued when an upcall ended it, so sending again is safe. */
    struct aramid_message sent = *message;
    do {
        *message = sent;
        result = aramid_ipc_call(aramid_proc_self.vfs, message);
    } while (result == -ARAMID_EINTR);
    if (result < 0)
        return ARAMID_PROTO_SERVER_GONE(result);
    memcpy(reply, message->words, reply_size);
    if (reply_bytes != NULL)
        *reply_bytes = ARAMID_IPC_BUFFER_BYTES(message->info);
    return reply[0];
}

#define VFS_CLIENT_STUB(label, name, request, reply)                                               \
    long aramid_vfs_call_in_##name(unsigned buffer,                                                \
                                   const struct aramid_vfs_##name##_request *request_words,        \
                                   size_t buffer_bytes,                                            \
                                   struct aramid_vfs_##name##_reply *reply_words,                  \
                                   size_t *reply_bytes)                                            \
    {                                                                                              \
        struct aramid_message message = {                                                          \
            .info = ARAMID_IPC_INFO(ARAMID_VFS_LABEL_BUFFER(label, buffer), buffer_bytes)};        \
        return vfs_client_call(&message, request_words, sizeof(*request_words),                    \
                               &reply_words->result, sizeof(*reply_words), reply_bytes);           \
    }                                                                                              \
    long aramid_vfs_call_##name(const struct aramid_vfs_##name##_request *request_words,           \
                                size_t buffer_bytes, struct aramid_vfs_##name##_reply *reply_words, \
                                size_t *reply_bytes)                                               \
    {                                                                                              \
        return aramid_vfs_call_in_##name(0, request_words, buffer_bytes, reply_words,              \
                                         reply_bytes);                                             \
    }
ARAMID_VFS_MESSAGES(VFS_CLIENT_STUB)
#undef VFS_CLIENT_STUB

/* A call whose reply grants a handle (mr5): the handle, or -EPROTO-like -EINVAL without one. */
static long vfs_client_granted(const struct aramid_message *message, aramid_handle_t *handle)
{
    if (!(message->info & ARAMID_IPC_GRANT))
        return -ARAMID_EINVAL;
    *handle = (aramid_handle_t)message->words[5];
    return 0;
}

long aramid_vfs_session(aramid_handle_t process, aramid_handle_t *buffer, size_t *size)
{
    struct aramid_message message = {
        .info = ARAMID_IPC_INFO(ARAMID_VFS_session, 0) | ARAMID_IPC_GRANT};
    struct aramid_vfs_session_request request = {};
    struct aramid_vfs_session_reply reply;
    message.words[5] = (unsigned long)process;
    long result = vfs_client_call(&message, &request, sizeof(request), &reply.result,
                                  sizeof(reply), NULL);
    if (result < 0)
        return result;
    result = vfs_client_granted(&message, buffer);
    *size = (size_t)reply.size;
    return result;
}

long aramid_vfs_buffer(unsigned index, aramid_handle_t *buffer, size_t *size)
{
    struct aramid_message message = {.info = ARAMID_IPC_INFO(ARAMID_VFS_buffer, 0)};
    struct aramid_vfs_buffer_request request = {.index = (long)index};
    struct aramid_vfs_buffer_reply reply;
    long result = vfs_client_call(&message, &request, sizeof(request), &reply.result,
                                  sizeof(reply), NULL);
    if (result < 0)
        return result;
    *size = (size_t)reply.size;
    return vfs_client_granted(&message, buffer);
}

long aramid_vfs_exec_open(long dir, size_t path_bytes, aramid_handle_t *memory_object,
                          size_t *size)
{
    struct aramid_message message = {.info = ARAMID_IPC_INFO(ARAMID_VFS_exec_open, path_bytes)};
    struct aramid_vfs_exec_open_request request = {.dir = dir};
    struct aramid_vfs_exec_open_reply reply;
    long result = vfs_client_call(&message, &request, sizeof(request), &reply.result,
                                  sizeof(reply), NULL);
    if (result < 0)
        return result;
    result = vfs_client_granted(&message, memory_object);
    *size = (size_t)reply.size;
    return result;
}

long aramid_vfs_map(long ofd, unsigned long offset, unsigned long length, unsigned long prot,
                    aramid_handle_t *memory_object)
{
    struct aramid_message message = {.info = ARAMID_IPC_INFO(ARAMID_VFS_map, 0)};
    struct aramid_vfs_map_request request = {
        .ofd = ofd, .offset = (long)offset, .length = (long)length, .prot = (long)prot};
    struct aramid_vfs_map_reply reply;
    long result = vfs_client_call(&message, &request, sizeof(request), &reply.result,
                                  sizeof(reply), NULL);
    return result < 0 ? result : vfs_client_granted(&message, memory_object);
}

long aramid_vfs_tty_state(aramid_handle_t *memory_object)
{
    struct aramid_message message = {.info = ARAMID_IPC_INFO(ARAMID_VFS_tty_state, 0)};
    struct aramid_vfs_tty_state_request request = {};
    struct aramid_vfs_tty_state_reply reply;
    long result = vfs_client_call(&message, &request, sizeof(request), &reply.result,
                                  sizeof(reply), NULL);
    return result < 0 ? result : vfs_client_granted(&message, memory_object);
}

long aramid_vfs_ready_handle(long ofd, aramid_handle_t *handle, unsigned long *id)
{
    struct aramid_message message = {.info = ARAMID_IPC_INFO(ARAMID_VFS_ready_handle, 0)};
    struct aramid_vfs_ready_handle_request request = {.ofd = ofd};
    struct aramid_vfs_ready_handle_reply reply;
    long result = vfs_client_call(&message, &request, sizeof(request), &reply.result,
                                  sizeof(reply), NULL);
    if (result < 0)
        return result;
    *id = (unsigned long)reply.id;
    return vfs_client_granted(&message, handle);
}

long aramid_vfs_ready_map(aramid_handle_t *memory_object, size_t *count)
{
    struct aramid_message message = {.info = ARAMID_IPC_INFO(ARAMID_VFS_ready_map, 0)};
    struct aramid_vfs_ready_map_request request = {};
    struct aramid_vfs_ready_map_reply reply;
    long result = vfs_client_call(&message, &request, sizeof(request), &reply.result,
                                  sizeof(reply), NULL);
    if (result < 0)
        return result;
    *count = (size_t)reply.count;
    return vfs_client_granted(&message, memory_object);
}
