/* The event server's dispatch table: one entry per message of ARAMID_EVENT_MESSAGES. */
#include "event.h"

#include "kstring.h"

typedef void (*event_decoder)(struct event_call *call, const unsigned long *words,
                              unsigned long *reply_words);

/* event_decode_NAME: words -> request struct, the handler, reply struct -> words. */
#define EVENT_DECODER(label, name, request_list, reply_list)                                       \
    static void event_decode_##name(struct event_call *call, const unsigned long *words,           \
                                    unsigned long *reply_words)                                    \
    {                                                                                              \
        struct aramid_event_##name##_request request;                                              \
        struct aramid_event_##name##_reply reply;                                                  \
        memset(&reply, 0, sizeof(reply));                                                          \
        memcpy(&request, words, sizeof(request));                                                  \
        event_do_##name(call, &request, &reply);                                                   \
        memcpy(reply_words, &reply, sizeof(reply));                                                \
    }
ARAMID_EVENT_MESSAGES(EVENT_DECODER)
#undef EVENT_DECODER

#define EVENT_TABLE_ENTRY(label, name, request, reply) [ARAMID_EVENT_##name] = event_decode_##name,
static const event_decoder event_decoders[ARAMID_EVENT_LABEL_END] = {
    ARAMID_EVENT_MESSAGES(EVENT_TABLE_ENTRY)};
#undef EVENT_TABLE_ENTRY

void event_dispatch(struct event_call *call, unsigned label,
                    const unsigned long words[ARAMID_IPC_REGISTERS],
                    unsigned long reply_words[ARAMID_IPC_REGISTERS])
{
    memset(reply_words, 0, ARAMID_IPC_REGISTERS * sizeof(unsigned long));
    if (label >= ARAMID_EVENT_LABEL_END || event_decoders[label] == NULL) {
        reply_words[0] = (unsigned long)-ARAMID_ENOSYS;
        return;
    }
    event_decoders[label](call, words, reply_words);
}
