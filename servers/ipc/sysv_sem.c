/* System V semaphore operations, all or nothing, with Linux's checks (ipc/sem.c perform_atomic_semop). */
#include "sysv_sem.h"

#include <aramid/errno.h>

bool sysv_sem_out_of_range(unsigned nsems, const struct sysv_sembuf *ops, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        if (ops[i].sem_num >= nsems)
            return true;
    return false;
}

long sysv_sem_try(unsigned short *values, unsigned nsems, const struct sysv_sembuf *ops,
                  unsigned count, unsigned *blocker)
{
    if (sysv_sem_out_of_range(nsems, ops, count))
        return -ARAMID_EFBIG;
    /* Applied in order to a copy of the touched values (an op may see an earlier one's
     * effect), then written back only if all could be done. */
    int trial[SYSV_SEMOPM];
    for (unsigned i = 0; i < count; i++) {
        int value = values[ops[i].sem_num];
        for (unsigned j = 0; j < i; j++)
            if (ops[j].sem_num == ops[i].sem_num)
                value = trial[j];
        int op = ops[i].sem_op;
        if ((op == 0 && value != 0) || value + op < 0) {
            if (ops[i].sem_flg & SYSV_IPC_NOWAIT)
                return -ARAMID_EAGAIN;
            *blocker = i;
            return 1;
        }
        if (value + op > SYSV_SEMVMX)
            return -ARAMID_ERANGE;
        trial[i] = value + op;
    }
    for (unsigned i = 0; i < count; i++)
        values[ops[i].sem_num] = (unsigned short)trial[i];
    return 0;
}

unsigned short sysv_sem_undo(unsigned short value, int adjust)
{
    int result = (int)value + adjust;
    if (result < 0)
        result = 0;
    if (result > SYSV_SEMVMX)
        result = SYSV_SEMVMX;
    return (unsigned short)result;
}
