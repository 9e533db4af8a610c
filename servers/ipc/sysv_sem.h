/* System V semaphore operations, all or nothing (pure logic, host-tested). */
#ifndef IPC_SYSV_SEM_H
#define IPC_SYSV_SEM_H

#include <stdbool.h>

/* struct sembuf, Linux's layout. */
struct sysv_sembuf {
    unsigned short sem_num;
    short sem_op;
    short sem_flg;
};

#define SYSV_SEM_UNDO 0x1000
#define SYSV_IPC_NOWAIT 04000
#define SYSV_SEMVMX 32767
#define SYSV_SEMOPM 500
#define SYSV_SEMMSL 32000

/*
 * Tries ops on values[0..nsems) (Linux's semop): every op applies or none does. 0 when they
 * applied (values changed, *undo_applied says whether some op had SEM_UNDO); -EFBIG for a
 * sem_num out of range; -ERANGE when a value would pass SEMVMX; -EAGAIN when one would have
 * to wait and has IPC_NOWAIT; 1 when one would have to wait (*blocker its index in ops).
 */
long sysv_sem_try(unsigned short *values, unsigned nsems, const struct sysv_sembuf *ops,
                  unsigned count, unsigned *blocker);
/* Whether any op names a sem_num out of range (checked before anything: -EFBIG). */
bool sysv_sem_out_of_range(unsigned nsems, const struct sysv_sembuf *ops, unsigned count);
/* An undo adjustment applied at exit: value + adjust clamped to [0, SEMVMX], as Linux does. */
unsigned short sysv_sem_undo(unsigned short value, int adjust);

#endif
