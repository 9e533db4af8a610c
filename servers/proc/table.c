/* The process server's dispatch table: one entry per message of ARAMID_PROC_MESSAGES. */
#include "proc.h"

#include "kstring.h"

typedef enum proc_action (*proc_decoder)(struct proc_call *call, const unsigned long *words,
                                         unsigned long *reply_words);

/* proc_decode_NAME: words -> struct aramid_proc_NAME_request, the handler, reply -> words. The
 * structs are all longs and fit the registers (checked in aramid/proto/proc.h). */
#define PROC_DECODER(label, name, request_list, reply_list)                                        \
    static enum proc_action proc_decode_##name(struct proc_call *call, const unsigned long *words, \
                                               unsigned long *reply_words)                         \
    {                                                                                              \
        struct aramid_proc_##name##_request request;                                               \
        struct aramid_proc_##name##_reply reply;                                                   \
        memset(&reply, 0, sizeof(reply));                                                          \
        memcpy(&request, words, sizeof(request));                                                  \
        enum proc_action action = proc_do_##name(call, &request, &reply);                          \
        memcpy(reply_words, &reply, sizeof(reply));                                                \
        return action;                                                                             \
    }
ARAMID_PROC_MESSAGES(PROC_DECODER)
#undef PROC_DECODER

/* CALL(ARAMID_PROC_fork) = proc_decode_fork, ... one designated initializer per message. */
#define PROC_TABLE_ENTRY(label, name, request, reply) [ARAMID_PROC_##name] = proc_decode_##name,
static const proc_decoder proc_decoders[ARAMID_PROC_LABEL_END] = {
    ARAMID_PROC_MESSAGES(PROC_TABLE_ENTRY)};
#undef PROC_TABLE_ENTRY

enum proc_action proc_dispatch(struct proc_call *call, unsigned label,
                               const unsigned long words[ARAMID_IPC_REGISTERS],
                               unsigned long reply_words[ARAMID_IPC_REGISTERS])
{
    memset(reply_words, 0, ARAMID_IPC_REGISTERS * sizeof(unsigned long));
    if (label >= ARAMID_PROC_LABEL_END || proc_decoders[label] == NULL) {
        reply_words[0] = (unsigned long)-ARAMID_ENOSYS;
        return PROC_REPLY;
    }
    return proc_decoders[label](call, words, reply_words);
}
