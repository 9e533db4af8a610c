/* posix-shim named semaphores: sem_open/sem_close/sem_unlink over a page of the ipc server
 * ("sem.NAME", as glibc's /dev/shm/sem.NAME) holding a sem_t, so sem_wait and sem_post are
 * the futex-word code of unnamed semaphores and never enter the kernel uncontended. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ipc_client.h"
#include "shim.h"
#include "vfs.h"

_Static_assert(sizeof(sem_t) == sizeof(struct aramid_ipcs_semaphore) &&
                   __builtin_offsetof(sem_t, value) ==
                       __builtin_offsetof(struct aramid_ipcs_semaphore, value) &&
                   __builtin_offsetof(sem_t, waiters) ==
                       __builtin_offsetof(struct aramid_ipcs_semaphore, waiters),
               "the server lays out a named semaphore's page as posix-shim's sem_t");

/* This process's open semaphores: one mapping per object, counted (glibc returns the same
 * address to every sem_open of one semaphore in a process). */
struct semaphore_named {
    struct semaphore_named *next;
    unsigned long id;
    sem_t *address;
    unsigned opens;
};
static struct semaphore_named *semaphore_list;
static pthread_mutex_t semaphore_lock = PTHREAD_MUTEX_INITIALIZER;

/* name with the "sem." prefix, with glibc's errors for sem_open: a name whose file name would
 * be too long is ENAMETOOLONG (open's), one that overflows glibc's own buffer (more than 256
 * bytes) or is malformed EINVAL. */
static long semaphore_name(const char *name, char *out)
{
    long result = shm_name_prepare(name, ARAMID_IPCS_SEMAPHORE_PREFIX, out);
    if (result != -ENAMETOOLONG)
        return result == -EFAULT ? result : result < 0 ? -EINVAL : result;
    while (*name == '/')
        name++;
    return strlen(name) <= ARAMID_IPCS_NAME_MAX + 1 ? -ENAMETOOLONG : -EINVAL;
}

/* sem_open(name, flags) or sem_open(name, flags | O_CREAT, mode, value). */
sem_t *sem_open(const char *name, int flags, ...)
{
    char prepared[ARAMID_IPCS_NAME_MAX + 1];
    mode_t mode = 0;
    unsigned value = 0;
    if (flags & O_CREAT) {
        va_list arguments;
        va_start(arguments, flags);
        mode = (mode_t)va_arg(arguments, int);
        value = va_arg(arguments, unsigned);
        va_end(arguments);
    }
    long result = semaphore_name(name, prepared);
    if (result >= 0 && value > SEM_VALUE_MAX)
        result = -EINVAL;
    aramid_handle_t handle = 0;
    unsigned long id = 0;
    if (result >= 0)
        result = shm_object_open(prepared, vfs_flags_to_linux(O_RDWR | (flags & (O_CREAT | O_EXCL))),
                                 mode, value, &handle, &id);
    if (result < 0) {
        errno = (int)-result;
        return SEM_FAILED;
    }
    pthread_mutex_lock(&semaphore_lock);
    struct semaphore_named *open = semaphore_list;
    while (open != NULL && open->id != id)
        open = open->next;
    sem_t *address = SEM_FAILED;
    if (open != NULL) {
        open->opens++;
        address = open->address;
    } else if ((open = calloc(1, sizeof(*open))) == NULL) {
        result = -ENOMEM;
    } else {
        result = shm_object_map(handle, 0, SHIM_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
        if (result < 0) {
            free(open);
        } else {
            *open = (struct semaphore_named){.next = semaphore_list, .id = id,
                                             .address = (sem_t *)result, .opens = 1};
            semaphore_list = open;
            address = open->address;
        }
    }
    pthread_mutex_unlock(&semaphore_lock);
    shm_object_close(handle); /* the mapping keeps the page; the name keeps the object */
    if (address == SEM_FAILED)
        errno = (int)-result;
    return address;
}

int sem_close(sem_t *sem)
{
    pthread_mutex_lock(&semaphore_lock);
    struct semaphore_named **link = &semaphore_list;
    while (*link != NULL && (*link)->address != sem)
        link = &(*link)->next;
    struct semaphore_named *open = *link;
    if (open != NULL && --open->opens == 0) {
        *link = open->next;
        (void)munmap(open->address, SHIM_PAGE_SIZE);
        free(open);
    }
    pthread_mutex_unlock(&semaphore_lock);
    return open != NULL ? 0 : (int)shim_return(-EINVAL);
}

int sem_unlink(const char *name)
{
    char prepared[ARAMID_IPCS_NAME_MAX + 1];
    /* glibc: a name it cannot make a file name of does not exist. */
    long result = semaphore_name(name, prepared);
    result = result == -ENAMETOOLONG ? result : result < 0 ? -ENOENT : shm_object_unlink(prepared);
    return (int)shim_return(result);
}
