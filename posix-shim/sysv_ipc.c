/* posix-shim System V IPC common parts: ftok and the calls to the ipc server's System V side. */
#include <errno.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"
#include "sysv.h"

key_t ftok(const char *path, int id)
{
    struct stat status;
    if (stat(path, &status) != 0)
        return (key_t)-1;
    unsigned value = ((unsigned)id & 0xff) << 24 | ((unsigned)status.st_dev & 0xff) << 16 |
                     ((unsigned)status.st_ino & 0xffff);
    return (key_t)(int)value; /* glibc's key_t is an int */
}

long sysv_get(long kind, key_t key, long size, int flags, aramid_handle_t memory)
{
    if (aramid_proc_self.ipc <= 0) {
        if (memory > 0)
            (void)sys_handle_close(memory);
        return -ENOSYS;
    }
    struct aramid_ipcs_sysv_get_request request = {
        .kind = kind, .key = (long)(int)key, .size = size, .flags = flags, .pid = getpid()};
    struct aramid_ipcs_sysv_get_reply reply;
    long result = shim_error_from_sys(
        aramid_ipcs_call_sysv_get(aramid_proc_self.ipc, &request, 0, memory, &reply, NULL));
    return result < 0 ? result : reply.id;
}

long sysv_control(long kind, int id, int number, int command, long value, size_t buffer_bytes,
                  size_t *reply_bytes)
{
    if (aramid_proc_self.ipc <= 0)
        return -ENOSYS;
    struct aramid_message message = {.info = ARAMID_IPC_INFO(ARAMID_IPCS_sysv_ctl, buffer_bytes)};
    long words[] = {kind, id, command, number, value};
    for (unsigned i = 0; i < 5; i++)
        message.words[i] = (unsigned long)words[i];
    long result = aramid_ipc_call(aramid_proc_self.ipc, &message);
    if (result == 0)
        result = (long)message.words[0];
    if (reply_bytes != NULL)
        *reply_bytes = ARAMID_IPC_BUFFER_BYTES(message.info);
    return shim_error_from_sys(result);
}

long sysv_info(long kind, int command, struct aramid_ipcs_sysv_info *info)
{
    size_t bytes = 0;
    long result = sysv_control(kind, 0, 0, command, 0, 0, &bytes);
    if (result < 0)
        return result;
    if (bytes != sizeof(*info))
        return -EIO; /* the server said less than it should */
    memcpy(info, (const void *)sys_ipc_buffer(), sizeof(*info));
    return result;
}

void sysv_perm_fill(struct ipc_perm *perm, const struct aramid_ipcs_sysv_stat *stat)
{
    memset(perm, 0, sizeof(*perm));
    perm->__key = (int)stat->key;
    perm->mode = (unsigned)stat->mode;
    perm->__seq = (unsigned short)stat->seq;
}
