/* The process server's dispatch table: one entry per message of ARAMID_PROC_MESSAGES. */
#include "proc.h"

#include <aramid/server.h>

#include "kstring.h"

/* CALL(ARAMID_PROC_fork) = proc_decode_fork, ... one designated initializer per message. */
#define ARAMID_SERVER_PROTO proc
#define ARAMID_SERVER_HANDLER proc
#define ARAMID_SERVER_CALL struct proc_call
#define ARAMID_SERVER_RUN ARAMID_SERVER_ACTION
ARAMID_SERVER_DISPATCH(proc_dispatch, ARAMID_PROC_MESSAGES, ARAMID_PROC_LABEL_END,
                       ARAMID_SERVER_ANY)
