/* posix-shim System V shared memory: shmget/shmat/shmdt/shmctl; segments are the ipc server's
 * memory objects, attachments are mappings recorded here (for shmdt) and counted there. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "ipc_client.h"
#include "shim.h"
#include "sysv.h"

#define SYSV_SHMMAX (1ul << 40)

/* This process's attachments (a fork child's copy stays right: the server counts its
 * attachments at fork too). */
struct sysv_attachment {
    struct sysv_attachment *next;
    uintptr_t address;
    size_t length;
    int id;
};
static struct sysv_attachment *sysv_attachments;
static pthread_mutex_t sysv_attachments_lock = PTHREAD_MUTEX_INITIALIZER;

int shmget(key_t key, size_t size, int flags)
{
    /* A segment that may be created comes with memory of this process's (its quota). */
    aramid_handle_t memory = 0;
    if ((flags & IPC_CREAT) && size >= 1 && size <= SYSV_SHMMAX) {
        long made = sys_memory_object_create(SHIM_PAGE_ROUND_UP(size));
        memory = made > 0 ? made : 0;
    }
    long result = sysv_get(ARAMID_IPCS_SYSV_SHM, key, size > SYSV_SHMMAX ? -1 : (long)size, flags,
                           memory);
    return (int)shim_return(result);
}

static long sysv_detach_server(int id)
{
    struct aramid_ipcs_sysv_shm_detach_request request = {.id = id, .pid = getpid()};
    struct aramid_ipcs_sysv_shm_detach_reply reply;
    return shim_error_from_sys(
        aramid_ipcs_call_sysv_shm_detach(aramid_proc_self.ipc, &request, 0, 0, &reply, NULL));
}

void *shmat(int id, const void *address, int flags)
{
    uintptr_t at = (uintptr_t)address;
    long result = id < 0 ? -EINVAL : 0;
    if (result == 0 && (at & (SHMLBA - 1))) {
        if (flags & SHM_RND)
            at &= ~(uintptr_t)(SHMLBA - 1);
        else
            result = -EINVAL;
    }
    if (result == 0 && aramid_proc_self.ipc <= 0)
        result = -ENOSYS;
    struct sysv_attachment *attachment = result == 0 ? calloc(1, sizeof(*attachment)) : NULL;
    if (result == 0 && attachment == NULL)
        result = -ENOMEM;
    if (result < 0) {
        errno = (int)-result;
        return (void *)-1;
    }
    struct aramid_ipcs_sysv_shm_attach_request request = {
        .id = id, .writable = !(flags & SHM_RDONLY), .pid = getpid()};
    struct aramid_ipcs_sysv_shm_attach_reply reply;
    aramid_handle_t memory = 0;
    result = shim_error_from_sys(aramid_ipcs_call_sysv_shm_attach(aramid_proc_self.ipc, &request,
                                                                  0, 0, &reply, &memory));
    size_t length = result < 0 ? 0 : SHIM_PAGE_ROUND_UP((size_t)reply.size);
    if (result >= 0) {
        int prot = PROT_READ | ((flags & SHM_RDONLY) ? 0 : PROT_WRITE) |
                   ((flags & SHM_EXEC) ? PROT_EXEC : 0);
        /* An address given: exactly there; over other mappings only with SHM_REMAP. */
        result = at == 0 ? aramid_memory_map(shim_self_space, length, (unsigned long)prot, memory, 0)
                 : (flags & SHM_REMAP)
                     ? mman_map_object(at, length, prot, MAP_SHARED | MAP_FIXED, memory, 0)
                     : sys_vm_map(shim_self_space, at, length, (unsigned long)prot, memory, 0);
        if (result >= 0 && at != 0)
            result = (long)at;
        (void)sys_handle_close(memory); /* the mapping keeps the memory */
        if (result < 0) {
            (void)sysv_detach_server(id);
            result = -EINVAL;
        }
    }
    if (result < 0) {
        free(attachment);
        errno = (int)-result;
        return (void *)-1;
    }
    *attachment = (struct sysv_attachment){.address = (uintptr_t)result, .length = length, .id = id};
    pthread_mutex_lock(&sysv_attachments_lock);
    attachment->next = sysv_attachments;
    sysv_attachments = attachment;
    pthread_mutex_unlock(&sysv_attachments_lock);
    return (void *)result;
}

int shmdt(const void *address)
{
    pthread_mutex_lock(&sysv_attachments_lock);
    struct sysv_attachment **link = &sysv_attachments;
    while (*link != NULL && (*link)->address != (uintptr_t)address)
        link = &(*link)->next;
    struct sysv_attachment *attachment = *link;
    if (attachment != NULL)
        *link = attachment->next;
    pthread_mutex_unlock(&sysv_attachments_lock);
    if (attachment == NULL)
        return (int)shim_return(-EINVAL);
    (void)sys_vm_unmap(shim_self_space, attachment->address, attachment->length);
    long result = sysv_detach_server(attachment->id);
    free(attachment);
    return (int)shim_return(result);
}

/* IPC_INFO (the limits: a struct shminfo) and SHM_INFO (what is in use: a struct shm_info;
 * shm_rss is every page of the segments, the kernel does not say which were touched). */
static long shm_control_info(int command, void *buffer)
{
    struct aramid_ipcs_sysv_info info;
    long highest = sysv_info(ARAMID_IPCS_SYSV_SHM, command, &info);
    if (highest < 0)
        return highest;
    if (command == IPC_INFO) {
        struct shminfo limits = {
            .shmmax = SYSV_SHMMAX,
            .shmmin = 1,
            .shmmni = ARAMID_IPCS_SYSV_OBJECTS_MAX,
            .shmseg = ARAMID_IPCS_SYSV_OBJECTS_MAX,
            .shmall = SYSV_SHMMAX / SHIM_PAGE_SIZE,
        };
        long copied = shim_copy_out(buffer, &limits, sizeof(limits));
        return copied < 0 ? copied : highest;
    }
    struct shm_info used = {
        .used_ids = (int)info.used,
        .shm_tot = (unsigned long)info.units,
        .shm_rss = (unsigned long)info.units,
    };
    long copied = shim_copy_out(buffer, &used, sizeof(used));
    return copied < 0 ? copied : highest;
}

int shmctl(int id, int command, struct shmid_ds *buffer)
{
    if (id < 0)
        return (int)shim_return(-EINVAL);
    struct aramid_ipcs_sysv_stat *stat = (struct aramid_ipcs_sysv_stat *)sys_ipc_buffer();
    if (command == IPC_SET) {
        struct shmid_ds wanted;
        long copied = shim_copy_in(&wanted, buffer, sizeof(wanted));
        if (copied < 0)
            return (int)shim_return(copied);
        *stat = (struct aramid_ipcs_sysv_stat){.mode = wanted.shm_perm.mode};
        return (int)shim_return(sysv_control(ARAMID_IPCS_SYSV_SHM, id, 0, command, 0,
                                             sizeof(*stat), NULL));
    }
    if (command == IPC_INFO || command == SHM_INFO)
        return (int)shim_return(shm_control_info(command, buffer));
    /* SHM_STAT, SHM_STAT_ANY: id is an index; the answer is the segment's id. */
    bool listing = command == SHM_STAT || command == SHM_STAT_ANY;
    if (command != IPC_STAT && command != IPC_RMID && !listing)
        return (int)shim_return(-EINVAL);
    long result = sysv_control(ARAMID_IPCS_SYSV_SHM, id, 0, command, 0, 0, NULL);
    if (result < 0 || (command != IPC_STAT && !listing))
        return (int)shim_return(result);
    struct shmid_ds status;
    memset(&status, 0, sizeof(status));
    sysv_perm_fill(&status.shm_perm, stat);
    status.shm_segsz = (size_t)stat->size;
    status.shm_atime = stat->attach_time;
    status.shm_dtime = stat->detach_time;
    status.shm_ctime = stat->change_time;
    status.shm_cpid = (pid_t)stat->creator;
    status.shm_lpid = (pid_t)stat->last;
    status.shm_nattch = (shmatt_t)stat->count;
    long copied = shim_copy_out(buffer, &status, sizeof(status));
    return (int)shim_return(copied < 0 ? copied : result);
}
