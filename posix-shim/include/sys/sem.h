/* posix-shim's <sys/sem.h>: System V semaphores (the ipc server), Linux's values and x86-64
 * glibc's struct semid_ds and struct sembuf. */
#ifndef _SYS_SEM_H
#define _SYS_SEM_H

#include <sys/ipc.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SEM_UNDO 0x1000
#define GETPID 11
#define GETVAL 12
#define GETALL 13
#define GETNCNT 14
#define GETZCNT 15
#define SETVAL 16
#define SETALL 17
#define SEM_STAT 18
#define SEM_INFO 19
#define SEM_STAT_ANY 20

struct semid_ds {
    struct ipc_perm sem_perm;
    time_t sem_otime;
    unsigned long __sem_otime_high;
    time_t sem_ctime;
    unsigned long __sem_ctime_high;
    unsigned long sem_nsems;
    unsigned long __glibc_reserved3;
    unsigned long __glibc_reserved4;
};

struct sembuf {
    unsigned short sem_num;
    short sem_op;
    short sem_flg;
};

/* semctl's IPC_INFO and SEM_INFO (glibc's layout). */
struct seminfo {
    int semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem;
};

/* The caller defines it (POSIX): semctl's fourth argument. */
union semun;

int semget(key_t key, int count, int flags);
int semop(int id, struct sembuf *operations, size_t count);
int semtimedop(int id, struct sembuf *operations, size_t count, const struct timespec *timeout);
int semctl(int id, int number, int command, ...);

#ifdef __cplusplus
}
#endif

#endif
