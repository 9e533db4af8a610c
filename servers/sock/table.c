/* The sock server's dispatch table: one entry per message of ARAMID_SOCK_MESSAGES. */
#include "sock.h"

#include "kstring.h"

typedef void (*sock_decoder)(struct sock_call *call, const unsigned long *words,
                              unsigned long *reply_words);

/* sock_decode_NAME: words -> request struct, the handler, reply struct -> words. */
#define SOCK_DECODER(label, name, request_list, reply_list)                                       \
    static void sock_decode_##name(struct sock_call *call, const unsigned long *words,           \
                                    unsigned long *reply_words)                                    \
    {                                                                                              \
        struct aramid_sock_##name##_request request;                                              \
        struct aramid_sock_##name##_reply reply;                                                  \
        memset(&reply, 0, sizeof(reply));                                                          \
        memcpy(&request, words, sizeof(request));                                                  \
        sock_do_##name(call, &request, &reply);                                                   \
        memcpy(reply_words, &reply, sizeof(reply));                                                \
    }
ARAMID_SOCK_MESSAGES(SOCK_DECODER)
#undef SOCK_DECODER

#define SOCK_TABLE_ENTRY(label, name, request, reply) [ARAMID_SOCK_##name] = sock_decode_##name,
static const sock_decoder sock_decoders[ARAMID_SOCK_LABEL_END] = {
    ARAMID_SOCK_MESSAGES(SOCK_TABLE_ENTRY)};
#undef SOCK_TABLE_ENTRY

void sock_dispatch(struct sock_call *call, unsigned label,
                    const unsigned long words[ARAMID_IPC_REGISTERS],
                    unsigned long reply_words[ARAMID_IPC_REGISTERS])
{
    memset(reply_words, 0, ARAMID_IPC_REGISTERS * sizeof(unsigned long));
    if (label >= ARAMID_SOCK_LABEL_END || sock_decoders[label] == NULL) {
        reply_words[0] = (unsigned long)-ARAMID_ENOSYS;
        return;
    }
    sock_decoders[label](call, words, reply_words);
}
