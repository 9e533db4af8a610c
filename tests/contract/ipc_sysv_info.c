/* System V IPC as ipcs reads it: IPC_INFO's limits, SHM_INFO/SEM_INFO/MSG_INFO's counts, and
 * SHM_STAT/SEM_STAT/MSG_STAT (and the _ANY forms) of an index giving the object's id. Only
 * what holds on any Linux is printed: other programs may hold objects too. */
#include "contract.h"

#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#define INDEX(id) ((id) % 32768)

static void shared_memory(void)
{
    int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
    R(id >= 0);
    struct shminfo limits;
    int highest = shmctl(0, IPC_INFO, (struct shmid_ds *)&limits);
    printf("shm IPC_INFO: highest >= index %s, shmmin %lu, shmmax >= 1 GiB %s, shmmni >= 1024 %s\n",
           highest >= INDEX(id) ? "yes" : "no", limits.shmmin,
           limits.shmmax >= (1ul << 30) ? "yes" : "no", limits.shmmni >= 1024 ? "yes" : "no");
    struct shm_info used;
    highest = shmctl(0, SHM_INFO, (struct shmid_ds *)&used);
    printf("SHM_INFO: highest >= index %s, used_ids >= 1 %s, shm_tot >= 3 %s\n",
           highest >= INDEX(id) ? "yes" : "no", used.used_ids >= 1 ? "yes" : "no",
           used.shm_tot >= 3 ? "yes" : "no");
    struct shmid_ds status;
    int found = shmctl(INDEX(id), SHM_STAT, &status);
    printf("SHM_STAT: its id %s, size %zu, nattch %lu\n", found == id ? "yes" : "no",
           status.shm_segsz, (unsigned long)status.shm_nattch);
    found = shmctl(INDEX(id), SHM_STAT_ANY, &status);
    printf("SHM_STAT_ANY: its id %s\n", found == id ? "yes" : "no");
    R(shmctl(32767, SHM_STAT, &status));
    R(shmctl(-1, SHM_STAT, &status));
    R(shmctl(0, SHM_INFO, contract_address(8)));
    R(shmctl(id, IPC_RMID, NULL));
    R(shmctl(INDEX(id), SHM_STAT, &status));
}

static void semaphores(void)
{
    int id = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
    R(id >= 0);
    struct seminfo limits;
    int highest = semctl(0, 0, IPC_INFO, &limits);
    printf("sem IPC_INFO: highest >= index %s, semopm %d, semvmx %d, semmsl >= 250 %s\n",
           highest >= INDEX(id) ? "yes" : "no", limits.semopm, limits.semvmx,
           limits.semmsl >= 250 ? "yes" : "no");
    struct seminfo used;
    highest = semctl(0, 0, SEM_INFO, &used);
    printf("SEM_INFO: highest >= index %s, sets >= 1 %s, semaphores >= 3 %s\n",
           highest >= INDEX(id) ? "yes" : "no", used.semusz >= 1 ? "yes" : "no",
           used.semaem >= 3 ? "yes" : "no");
    struct semid_ds status;
    int found = semctl(INDEX(id), 0, SEM_STAT, &status);
    printf("SEM_STAT: its id %s, nsems %lu\n", found == id ? "yes" : "no", status.sem_nsems);
    found = semctl(INDEX(id), 0, SEM_STAT_ANY, &status);
    printf("SEM_STAT_ANY: its id %s\n", found == id ? "yes" : "no");
    R(semctl(32767, 0, SEM_STAT, &status));
    R(semctl(id, 0, IPC_RMID));
}

static void message_queues(void)
{
    int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    R(id >= 0);
    struct {
        long type;
        char text[10];
    } message = {1, "0123456789"};
    R(msgsnd(id, &message, sizeof(message.text), 0));
    R(msgsnd(id, &message, sizeof(message.text), 0));
    struct msginfo limits;
    int highest = msgctl(0, IPC_INFO, (struct msqid_ds *)&limits);
    printf("msg IPC_INFO: highest >= index %s, msgmax %d, msgmnb %d\n",
           highest >= INDEX(id) ? "yes" : "no", limits.msgmax, limits.msgmnb);
    struct msginfo used;
    highest = msgctl(0, MSG_INFO, (struct msqid_ds *)&used);
    printf("MSG_INFO: highest >= index %s, queues >= 1 %s, messages >= 2 %s, bytes >= 20 %s\n",
           highest >= INDEX(id) ? "yes" : "no", used.msgpool >= 1 ? "yes" : "no",
           used.msgmap >= 2 ? "yes" : "no", used.msgtql >= 20 ? "yes" : "no");
    struct msqid_ds status;
    int found = msgctl(INDEX(id), MSG_STAT, &status);
    printf("MSG_STAT: its id %s, qnum %lu, cbytes %lu\n", found == id ? "yes" : "no",
           (unsigned long)status.msg_qnum, status.__msg_cbytes);
    found = msgctl(INDEX(id), MSG_STAT_ANY, &status);
    printf("MSG_STAT_ANY: its id %s\n", found == id ? "yes" : "no");
    R(msgctl(32767, MSG_STAT, &status));
    R(msgctl(id, IPC_RMID, NULL));
}

int main(void)
{
    contract_start();
    shared_memory();
    semaphores();
    message_queues();
    return contract_pass();
}
