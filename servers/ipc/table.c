/* The ipc server's dispatch table: one entry per message of ARAMID_IPCS_MESSAGES. */
#include "ipc.h"

#include <aramid/server.h>

#include "kstring.h"

#define ARAMID_SERVER_PROTO ipcs
#define ARAMID_SERVER_HANDLER ipc
#define ARAMID_SERVER_CALL struct ipc_call
#define ARAMID_SERVER_RUN ARAMID_SERVER_VOID
ARAMID_SERVER_DISPATCH(ipc_dispatch, ARAMID_IPCS_MESSAGES, ARAMID_IPCS_LABEL_END, ARAMID_SERVER_ANY)
