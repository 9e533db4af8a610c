/* posix-shim System V semaphores: semget/semop/semtimedop/semctl over the ipc server's sets
 * (operations all or nothing there; SEM_UNDO applied there when the process exits). */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/sem.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"
#include "sysv.h"

#define SYSV_SEMOPM 500
#define SYSV_SEMMSL 32000
#define SYSV_SEMVMX 32767
#define SYSV_NS_PER_SECOND 1000000000ul

_Static_assert(sizeof(struct sembuf) == 6, "struct sembuf travels as Linux lays it out");

int semget(key_t key, int count, int flags)
{
    if (count < 0 || count > SYSV_SEMMSL)
        return (int)shim_return(-EINVAL);
    return (int)shim_return(sysv_get(ARAMID_IPCS_SYSV_SEM, key, count, flags, 0));
}

int semtimedop(int id, struct sembuf *operations, size_t count, const struct timespec *timeout)
{
    if (count < 1)
        return (int)shim_return(-EINVAL);
    if (count > SYSV_SEMOPM)
        return (int)shim_return(-E2BIG);
    size_t bytes = count * sizeof(struct sembuf);
    long result = shim_copy_in((void *)sys_ipc_buffer(), operations, bytes);
    unsigned long deadline = 0;
    if (result == 0 && timeout != NULL) {
        struct timespec copy;
        result = shim_copy_in(&copy, timeout, sizeof(copy));
        if (result == 0 && (copy.tv_sec < 0 || copy.tv_nsec < 0 ||
                            copy.tv_nsec >= (long)SYSV_NS_PER_SECOND))
            result = -EINVAL;
        if (result == 0)
            deadline = aramid_clock_monotonic_ns() + (unsigned long)copy.tv_sec * SYSV_NS_PER_SECOND +
                       (unsigned long)copy.tv_nsec;
        if (deadline == 0)
            deadline = 1;
    }
    if (result == 0 && id < 0)
        result = -EINVAL;
    if (result == 0 && aramid_proc_self.ipc <= 0)
        result = -ENOSYS;
    if (result < 0)
        return (int)shim_return(result);
    /* semop is never restarted after a handler (Linux): a handler's signal ends it with EINTR;
     * an ignored one goes on. The buffer is filled again for each try. */
    struct signal_watch watch;
    signal_watch_start(&watch);
    for (;;) {
        struct aramid_message message = {
            .info = ARAMID_IPC_INFO(ARAMID_IPCS_sysv_semop, bytes)};
        message.words[0] = (unsigned long)id;
        message.words[1] = count;
        message.words[2] = deadline;
        message.words[3] = (unsigned long)getpid();
        if (deadline > aramid_clock_monotonic_ns()) {
            message.info |= ARAMID_IPC_DEADLINE;
            message.deadline = deadline;
        }
        result = aramid_ipc_call(aramid_proc_self.ipc, &message);
        if (result == 0)
            result = (long)message.words[0];
        else if (result == -ARAMID_ETIMEDOUT)
            result = -ARAMID_EAGAIN; /* still queued when the timeout passed */
        result = shim_error_from_sys(result);
        if (result != -EINTR || signal_watch_interrupts(&watch, false))
            return (int)shim_return(result);
        if (shim_copy_in((void *)sys_ipc_buffer(), operations, bytes) < 0)
            return (int)shim_return(-EFAULT);
    }
}

int semop(int id, struct sembuf *operations, size_t count)
{
    return semtimedop(id, operations, count, NULL);
}

/* The set's size (for GETALL and SETALL), or -errno. */
static long sysv_sem_count(int id)
{
    long result = sysv_control(ARAMID_IPCS_SYSV_SEM, id, 0, IPC_STAT, 0, 0, NULL);
    return result < 0 ? result : ((struct aramid_ipcs_sysv_stat *)sys_ipc_buffer())->size;
}

/* IPC_INFO (the limits) and SEM_INFO (in use: sets in semusz, semaphores in semaem), as a
 * struct seminfo; semusz of IPC_INFO (Linux's size of its undo record) is 0. */
static long sem_control_info(int command, void *buffer)
{
    struct aramid_ipcs_sysv_info info;
    long highest = sysv_info(ARAMID_IPCS_SYSV_SEM, command, &info);
    if (highest < 0)
        return highest;
    int total = ARAMID_IPCS_SYSV_OBJECTS_MAX * SYSV_SEMMSL;
    struct seminfo limits = {
        .semmap = total,
        .semmni = ARAMID_IPCS_SYSV_OBJECTS_MAX,
        .semmns = total,
        .semmnu = total,
        .semmsl = SYSV_SEMMSL,
        .semopm = SYSV_SEMOPM,
        .semume = SYSV_SEMOPM,
        .semvmx = SYSV_SEMVMX,
        .semaem = SYSV_SEMVMX,
    };
    if (command == SEM_INFO) {
        limits.semusz = (int)info.used;
        limits.semaem = (int)info.units;
    }
    long copied = shim_copy_out(buffer, &limits, sizeof(limits));
    return copied < 0 ? copied : highest;
}

/* semctl(id, number, command, union semun argument): the argument is one word (an int or a
 * pointer), read as such. */
int semctl(int id, int number, int command, ...)
{
    va_list arguments;
    va_start(arguments, command);
    unsigned long argument = 0;
    if (command == SETVAL || command == GETALL || command == SETALL || command == IPC_STAT ||
        command == IPC_SET || command == IPC_INFO || command == SEM_INFO ||
        command == SEM_STAT || command == SEM_STAT_ANY)
        argument = va_arg(arguments, unsigned long);
    va_end(arguments);
    if (id < 0)
        return (int)shim_return(-EINVAL);
    void *buffer = (void *)sys_ipc_buffer();
    long result;
    switch (command) {
    case IPC_RMID:
    case GETVAL:
    case GETPID:
    case GETNCNT:
    case GETZCNT:
        return (int)shim_return(
            sysv_control(ARAMID_IPCS_SYSV_SEM, id, number, command, 0, 0, NULL));
    case SETVAL:
        return (int)shim_return(sysv_control(ARAMID_IPCS_SYSV_SEM, id, number, command,
                                             (long)(int)argument, 0, NULL));
    case GETALL: {
        long count = sysv_sem_count(id);
        result = count < 0 ? count : sysv_control(ARAMID_IPCS_SYSV_SEM, id, 0, command, 0, 0, NULL);
        if (result == 0)
            result = shim_copy_out((void *)argument, buffer,
                                   (size_t)count * sizeof(unsigned short));
        return (int)shim_return(result);
    }
    case SETALL: {
        long count = sysv_sem_count(id);
        if (count < 0)
            return (int)shim_return(count);
        size_t bytes = (size_t)count * sizeof(unsigned short);
        result = shim_copy_in(buffer, (const void *)argument, bytes);
        if (result == 0)
            result = sysv_control(ARAMID_IPCS_SYSV_SEM, id, 0, command, 0, bytes, NULL);
        return (int)shim_return(result);
    }
    case IPC_INFO:
    case SEM_INFO:
        return (int)shim_return(sem_control_info(command, (void *)argument));
    case SEM_STAT: /* id is an index; the answer is the set's id */
    case SEM_STAT_ANY:
    case IPC_STAT: {
        result = sysv_control(ARAMID_IPCS_SYSV_SEM, id, 0, command, 0, 0, NULL);
        if (result < 0)
            return (int)shim_return(result);
        const struct aramid_ipcs_sysv_stat *stat = buffer;
        struct semid_ds status;
        memset(&status, 0, sizeof(status));
        sysv_perm_fill(&status.sem_perm, stat);
        status.sem_otime = stat->attach_time;
        status.sem_ctime = stat->change_time;
        status.sem_nsems = (unsigned long)stat->size;
        long copied = shim_copy_out((void *)argument, &status, sizeof(status));
        return (int)shim_return(copied < 0 ? copied : result);
    }
    case IPC_SET: {
        struct semid_ds wanted;
        result = shim_copy_in(&wanted, (const void *)argument, sizeof(wanted));
        if (result < 0)
            return (int)shim_return(result);
        *(struct aramid_ipcs_sysv_stat *)buffer =
            (struct aramid_ipcs_sysv_stat){.mode = wanted.sem_perm.mode};
        return (int)shim_return(sysv_control(ARAMID_IPCS_SYSV_SEM, id, 0, command, 0,
                                             sizeof(struct aramid_ipcs_sysv_stat), NULL));
    }
    default:
        return (int)shim_return(-EINVAL);
    }
}
