/* System V IPC: ftok, shmget/shmat/shmdt/shmctl (unaligned shmat EINVAL, SHM_RND, nattch,
 * IPC_RMID while attached), semget/semop/semctl (EFBIG, E2BIG, EAGAIN, ERANGE, SEM_UNDO when
 * a holder is killed, EIDRM for a waiter), msgget/msgsnd/msgrcv/msgctl (types, E2BIG, ENOMSG). */
#include "contract.h"

#include <fcntl.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>

union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

static void nap(void)
{
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 10000000};
    nanosleep(&pause, NULL);
}

static void keys(void)
{
    key_t a = ftok("/tmp", 1), b = ftok("/tmp", 1), c = ftok("/tmp", 2);
    printf("ftok: %s, same again %s, other id %s\n", a != (key_t)-1 ? "ok" : "failed",
           a == b ? "yes" : "no", a != c ? "differs" : "same");
    errno = 0;
    key_t missing = ftok("/no/such/path", 1);
    printf("ftok of a missing path: %s %s\n", missing == (key_t)-1 ? "-1" : "key",
           errno_name(errno));
}

static void shared_memory(void)
{
    key_t key = ftok("/tmp", 'S');
    int old = shmget(key, 0, 0);
    if (old >= 0)
        shmctl(old, IPC_RMID, NULL);
    int id = shmget(key, 10000, IPC_CREAT | IPC_EXCL | 0640);
    printf("shmget: %s\n", id >= 0 ? "ok" : errno_name(errno));
    R(shmget(key, 10000, IPC_CREAT | IPC_EXCL | 0640) == id);
    R(shmget(key, 20000, 0));
    R(shmget(key, 100, 0) == id);
    R(shmget(ftok("/tmp", 'T'), 100, 0));
    R(shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600));
    char *first = shmat(id, NULL, 0);
    printf("shmat: %s\n", first != (void *)-1 ? "ok" : errno_name(errno));
    strcpy(first, "from the parent");
    pid_t child = contract_fork();
    if (child == 0) {
        char *mine = shmat(id, NULL, 0);
        if (mine == (void *)-1)
            _exit(2);
        strcat(mine, ", and the child");
        _exit(shmdt(mine) == 0 ? 0 : 3);
    }
    contract_reap("child", child);
    printf("segment: '%s'\n", first);
    struct shmid_ds status;
    R(shmctl(id, IPC_STAT, &status));
    printf("segsz %zu nattch %lu mode %o\n", status.shm_segsz, (unsigned long)status.shm_nattch,
           status.shm_perm.mode & 0777);
    R(shmdt(first));
    R(shmdt(first));
    errno = 0;
    printf("unaligned shmat: %s\n", shmat(id, first + 1, 0) == (void *)-1 ? errno_name(errno)
                                                                        : "attached");
    char *rounded = shmat(id, first + 1, SHM_RND);
    printf("SHM_RND: %s\n", rounded == first ? "rounded down" : errno_name(errno));
    printf("after: '%s'\n", rounded);
    R(shmat(-1, NULL, 0) == (void *)-1);
    R(shmat(id + 1, NULL, 0) == (void *)-1);
    R(shmctl(id, IPC_RMID, NULL));
    R(shmctl(id, IPC_STAT, &status));
    printf("removed but attached: nattch %lu, SHM_DEST %s\n", (unsigned long)status.shm_nattch,
           status.shm_perm.mode & SHM_DEST ? "yes" : "no");
    R(shmget(key, 100, 0));
    R(shmdt(rounded));
    R(shmctl(id, IPC_STAT, &status));
}

static void semaphores(void)
{
    int id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
    printf("semget: %s\n", id >= 0 ? "ok" : errno_name(errno));
    R(semget(IPC_PRIVATE, 0, IPC_CREAT | 0600));
    R(semget(IPC_PRIVATE, -1, IPC_CREAT | 0600));
    R(semctl(id, 0, SETVAL, (union semun){.val = 1}));
    R(semctl(id, 0, GETVAL));
    R(semctl(id, 1, SETVAL, (union semun){.val = 40000}));
    R(semctl(id, 2, GETVAL));
    struct sembuf take = {.sem_num = 0, .sem_op = -1, .sem_flg = 0};
    struct sembuf beyond = {.sem_num = 2, .sem_op = 1, .sem_flg = 0};
    R(semop(id, &take, 1));
    R(semop(id, &beyond, 1));
    R(semop(id, &take, 0));
    struct sembuf many[501];
    memset(many, 0, sizeof(many));
    R(semop(id, many, 501));
    struct sembuf nowait = {.sem_num = 0, .sem_op = -1, .sem_flg = IPC_NOWAIT};
    R(semop(id, &nowait, 1));
    struct timespec short_wait = {.tv_sec = 0, .tv_nsec = 20000000};
    R(semtimedop(id, &take, 1, &short_wait));
    struct sembuf too_much = {.sem_num = 1, .sem_op = 32767, .sem_flg = 0};
    R(semop(id, &too_much, 1));
    R(semop(id, &too_much, 1));
    unsigned short values[2] = {3, 4};
    R(semctl(id, 0, SETALL, (union semun){.array = values}));
    values[0] = values[1] = 0;
    R(semctl(id, 0, GETALL, (union semun){.array = values}));
    printf("all: %u %u\n", values[0], values[1]);
    struct semid_ds status;
    R(semctl(id, 0, IPC_STAT, (union semun){.buf = &status}));
    printf("nsems %lu mode %o\n", (unsigned long)status.sem_nsems, status.sem_perm.mode & 0777);

    /* SEM_UNDO: a holder killed while it holds; a waiter then gets the semaphore. */
    R(semctl(id, 0, SETVAL, (union semun){.val = 1}));
    int ready[2];
    if (pipe(ready) != 0)
        return;
    pid_t holder = contract_fork();
    if (holder == 0) {
        struct sembuf hold = {.sem_num = 0, .sem_op = -1, .sem_flg = SEM_UNDO};
        if (semop(id, &hold, 1) != 0)
            _exit(2);
        if (write(ready[1], "h", 1) != 1)
            _exit(3);
        for (;;)
            pause();
    }
    char byte;
    if (read(ready[0], &byte, 1) != 1)
        printf("holder did not start\n");
    R(semctl(id, 0, GETVAL));
    pid_t waiter = contract_fork();
    if (waiter == 0) {
        struct sembuf wait_for_it = {.sem_num = 0, .sem_op = -1, .sem_flg = 0};
        _exit(semop(id, &wait_for_it, 1) == 0 ? 0 : 4);
    }
    while (semctl(id, 0, GETNCNT) < 1)
        nap();
    R(semctl(id, 0, GETNCNT));
    kill(holder, SIGKILL);
    contract_reap("holder", holder);
    contract_reap("waiter", waiter);
    R(semctl(id, 0, GETVAL));
    /* Undone on exit, not on the holder's normal return of the value. */
    pid_t returner = contract_fork();
    if (returner == 0) {
        struct sembuf up = {.sem_num = 0, .sem_op = 2, .sem_flg = SEM_UNDO};
        _exit(semop(id, &up, 1) == 0 ? 0 : 2);
    }
    contract_reap("adder", returner);
    R(semctl(id, 0, GETVAL));

    /* A waiter sees the set removed. */
    pid_t removed = contract_fork();
    if (removed == 0) {
        struct sembuf wait_for_it = {.sem_num = 0, .sem_op = -1, .sem_flg = 0};
        int result = semop(id, &wait_for_it, 1);
        _exit(result == -1 && errno == EIDRM ? 0 : 5);
    }
    while (semctl(id, 0, GETNCNT) < 1)
        nap();
    R(semctl(id, 0, IPC_RMID));
    contract_reap("waiter of a removed set", removed);
    R(semctl(id, 0, GETVAL));
    R(semop(id, &take, 1));
    close(ready[0]);
    close(ready[1]);
}

struct message {
    long type;
    char text[32];
};

static void send_text(int id, long type, const char *text)
{
    struct message message = {.type = type};
    strcpy(message.text, text);
    if (msgsnd(id, &message, strlen(text) + 1, 0) != 0)
        printf("msgsnd %s: %s\n", text, errno_name(errno));
}

static void receive_text(int id, long type, int flags)
{
    struct message message;
    memset(&message, 0, sizeof(message));
    ssize_t length = msgrcv(id, &message, sizeof(message.text), type, flags);
    if (length < 0)
        printf("msgrcv(%ld) = -1 %s\n", type, errno_name(errno));
    else
        printf("msgrcv(%ld) = %zd type %ld '%s'\n", type, length, message.type, message.text);
}

static void messages(void)
{
    int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    printf("msgget: %s\n", id >= 0 ? "ok" : errno_name(errno));
    send_text(id, 3, "three");
    send_text(id, 1, "one");
    send_text(id, 2, "two");
    send_text(id, 1, "one again");
    struct message bad = {.type = 0};
    R(msgsnd(id, &bad, 4, 0));
    R(msgsnd(id, &bad, 9000, 0));
    struct msqid_ds status;
    R(msgctl(id, IPC_STAT, &status));
    printf("qnum %lu qbytes %lu\n", (unsigned long)status.msg_qnum,
           (unsigned long)status.msg_qbytes);
    receive_text(id, 2, 0);
    receive_text(id, -2, 0);
    receive_text(id, 1, MSG_EXCEPT);
    struct message small;
    R(msgrcv(id, &small, 3, 0, 0));
    R(msgrcv(id, &small, 3, 0, MSG_NOERROR));
    printf("truncated: '%.3s'\n", small.text);
    receive_text(id, 0, IPC_NOWAIT);
    pid_t child = contract_fork();
    if (child == 0) {
        struct message got;
        ssize_t length = msgrcv(id, &got, sizeof(got.text), 7, 0);
        _exit(length == 6 && strcmp(got.text, "seven") == 0 ? 0 : 2);
    }
    nap();
    send_text(id, 7, "seven");
    contract_reap("receiver of type 7", child);
    R(msgctl(id, IPC_RMID, NULL));
    R(msgctl(id, IPC_STAT, &status));
    R(msgsnd(id, &bad, 4, 0));
    R(msgget(ftok("/tmp", 'M'), 0));
}

int main(void)
{
    contract_start();
    keys();
    shared_memory();
    semaphores();
    messages();
    return contract_pass();
}
