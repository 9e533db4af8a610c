/* The sock server's dispatch table: one entry per message of ARAMID_SOCK_MESSAGES. */
#include "sock.h"

#include <aramid/server.h>

#include "kstring.h"

#define ARAMID_SERVER_PROTO sock
#define ARAMID_SERVER_HANDLER sock
#define ARAMID_SERVER_CALL struct sock_call
#define ARAMID_SERVER_RUN ARAMID_SERVER_VOID
ARAMID_SERVER_DISPATCH(sock_dispatch, ARAMID_SOCK_MESSAGES, ARAMID_SOCK_LABEL_END, ARAMID_SERVER_ANY)
