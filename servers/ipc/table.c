/* The ipc server's dispatch table: one entry per message of ARAMID_IPCS_MESSAGES. */
#include "ipc.h"

#include "kstring.h"

typedef void (*ipc_decoder)(struct ipc_call *call, const unsigned long *words,
                            unsigned long *reply_words);

/* ipc_decode_NAME: words -> request struct, the handler, reply struct -> words. */
#define IPC_DECODER(label, name, request_list, reply_list)                                         \
    static void ipc_decode_##name(struct ipc_call *call, const unsigned long *words,               \
                                  unsigned long *reply_words)                                      \
    {                                                                                              \
        struct aramid_ipcs_##name##_request request;                                               \
        struct aramid_ipcs_##name##_reply reply;                                                   \
        memset(&reply, 0, sizeof(reply));                                                          \
        memcpy(&request, words, sizeof(request));                                                  \
        ipc_do_##name(call, &request, &reply);                                                     \
        memcpy(reply_words, &reply, sizeof(reply));                                                \
    }
ARAMID_IPCS_MESSAGES(IPC_DECODER)
#undef IPC_DECODER

#define IPC_TABLE_ENTRY(label, name, request, reply) [ARAMID_IPCS_##name] = ipc_decode_##name,
static const ipc_decoder ipc_decoders[ARAMID_IPCS_LABEL_END] = {
    ARAMID_IPCS_MESSAGES(IPC_TABLE_ENTRY)};
#undef IPC_TABLE_ENTRY

void ipc_dispatch(struct ipc_call *call, unsigned label,
                  const unsigned long words[ARAMID_IPC_REGISTERS],
                  unsigned long reply_words[ARAMID_IPC_REGISTERS])
{
    memset(reply_words, 0, ARAMID_IPC_REGISTERS * sizeof(unsigned long));
    if (label >= ARAMID_IPCS_LABEL_END || ipc_decoders[label] == NULL) {
        reply_words[0] = (unsigned long)-ARAMID_ENOSYS;
        return;
    }
    ipc_decoders[label](call, words, reply_words);
}
