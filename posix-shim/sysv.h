/* posix-shim System V IPC internals: the calls to the ipc server shared by shm, sem and msg. */
#ifndef POSIX_SHIM_SYSV_H
#define POSIX_SHIM_SYSV_H

#include <stddef.h>
#include <sys/ipc.h>

#include <aramid/proto/ipc.h>

/* sysv_get (granting memory, 0: none): the id or -errno. */
long sysv_get(long kind, key_t key, long size, int flags, aramid_handle_t memory);
/* sysv_ctl with buffer_bytes of the IPC buffer; what the server answered, the reply's bytes
 * in *reply_bytes (may be NULL). -errno. */
long sysv_control(long kind, int id, int number, int command, long value, size_t buffer_bytes,
                  size_t *reply_bytes);
/* IPC_INFO or a kind's INFO command: the server's record of what kind holds in *info; the
 * highest index in use, or -errno. */
long sysv_info(long kind, int command, struct aramid_ipcs_sysv_info *info);
/* ipc_perm from the server's IPC_STAT record (uid and gid 0: one user). */
void sysv_perm_fill(struct ipc_perm *perm, const struct aramid_ipcs_sysv_stat *stat);

#endif
