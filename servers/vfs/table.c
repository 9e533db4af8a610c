/* The vfs server's dispatch table: one entry per message of ARAMID_VFS_MESSAGES. */
#include "vfs.h"

#include "kstring.h"

typedef enum vfs_action (*vfs_decoder)(struct vfs_call *call, const unsigned long *words,
                                       unsigned long *reply_words);

/* vfs_decode_NAME: words -> struct aramid_vfs_NAME_request, the handler, reply -> words. */
#define VFS_DECODER(label, name, request_list, reply_list)                                         \
    static enum vfs_action vfs_decode_##name(struct vfs_call *call, const unsigned long *words,   \
                                             unsigned long *reply_words)                           \
    {                                                                                              \
        struct aramid_vfs_##name##_request request;                                                \
        struct aramid_vfs_##name##_reply reply;                                                    \
        memset(&reply, 0, sizeof(reply));                                                          \
        memcpy(&request, words, sizeof(request));                                                  \
        enum vfs_action action = vfs_do_##name(call, &request, &reply);                            \
        memcpy(reply_words, &reply, sizeof(reply));                                                \
        return action;                                                                             \
    }
ARAMID_VFS_MESSAGES(VFS_DECODER)
#undef VFS_DECODER

#define VFS_TABLE_ENTRY(label, name, request, reply) [ARAMID_VFS_##name] = vfs_decode_##name,
static const vfs_decoder vfs_decoders[ARAMID_VFS_LABEL_END] = {ARAMID_VFS_MESSAGES(VFS_TABLE_ENTRY)};
#undef VFS_TABLE_ENTRY

enum vfs_action vfs_dispatch(struct vfs_call *call, unsigned label,
                             const unsigned long words[ARAMID_IPC_REGISTERS],
                             unsigned long reply_words[ARAMID_IPC_REGISTERS])
{
    memset(reply_words, 0, ARAMID_IPC_REGISTERS * sizeof(unsigned long));
    if (label >= ARAMID_VFS_LABEL_END || vfs_decoders[label] == NULL) {
        reply_words[0] = (unsigned long)-ARAMID_ENOSYS;
        return VFS_REPLY;
    }
    /* Every message but session and tty_state needs one: the shared buffer and the wake-up
     * (handoff_drop neither: the sock server has none). */
    if (call->session == NULL && label != ARAMID_VFS_session && label != ARAMID_VFS_tty_state &&
        label != ARAMID_VFS_handoff_drop) {
        reply_words[0] = (unsigned long)-ARAMID_EPERM;
        return VFS_REPLY;
    }
    return vfs_decoders[label](call, words, reply_words);
}
