/* The event server's dispatch table: one entry per message of ARAMID_EVENT_MESSAGES. */
#include "event.h"

#include <aramid/server.h>

#include "kstring.h"

#define ARAMID_SERVER_PROTO event
#define ARAMID_SERVER_HANDLER event
#define ARAMID_SERVER_CALL struct event_call
#define ARAMID_SERVER_RUN ARAMID_SERVER_VOID
ARAMID_SERVER_DISPATCH(event_dispatch, ARAMID_EVENT_MESSAGES, ARAMID_EVENT_LABEL_END,
                       ARAMID_SERVER_ANY)
