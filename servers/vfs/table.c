/* The vfs server's dispatch table: one entry per message of ARAMID_VFS_MESSAGES. */
#include "vfs.h"

#include <aramid/server.h>

#include "kstring.h"

/* Here vfs is the protocol's name (pasted into ARAMID_VFS_*, vfs_do_*), not vfs.h's globals. */
#undef vfs

/* Every message but session and tty_state needs one: the shared buffer and the wake-up
 * (handoff_drop neither: the sock server has none). */
#define VFS_SESSION_NEEDED(call, label)                                                            \
    ((call)->session == NULL && (label) != ARAMID_VFS_session &&                                   \
             (label) != ARAMID_VFS_tty_state && (label) != ARAMID_VFS_handoff_drop                 \
         ? -ARAMID_EPERM                                                                           \
         : 0)

#define ARAMID_SERVER_PROTO vfs
#define ARAMID_SERVER_HANDLER vfs
#define ARAMID_SERVER_CALL struct vfs_call
#define ARAMID_SERVER_RUN ARAMID_SERVER_ACTION
ARAMID_SERVER_DISPATCH(vfs_dispatch, ARAMID_VFS_MESSAGES, ARAMID_VFS_LABEL_END, VFS_SESSION_NEEDED)
