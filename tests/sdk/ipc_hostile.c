/* Hostile input to the ipc server: garbage messages on its endpoint and on handles to our own
 * objects, grants of wrong handles, lengths that lie, a queue's waiters killed. Each row shows
 * the good call first; afterwards the server still serves everyone correctly. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <aramid/proto/ipc.h>
#include <aramid/proto/proc.h>
#include <aramid/sys.h>

#include "hostile.h"

/* Every kind of object still works: a shm object mapped, a semaphore, a queue, a SysV set. */
static int everything_works(void)
{
    int fd = shm_open("/hostile_shm", O_RDWR | O_CREAT, 0600);
    int ok = fd >= 0 && ftruncate(fd, 4096) == 0;
    char *map = ok ? mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
    ok = ok && map != MAP_FAILED;
    if (ok) {
        map[0] = 'x';
        munmap(map, 4096);
    }
    close(fd);
    shm_unlink("/hostile_shm");
    sem_t *semaphore = sem_open("/hostile_sem", O_CREAT, 0600, 1);
    ok = ok && semaphore != SEM_FAILED && sem_wait(semaphore) == 0 && sem_post(semaphore) == 0;
    if (semaphore != SEM_FAILED)
        sem_close(semaphore);
    sem_unlink("/hostile_sem");
    mqd_t queue = mq_open("/hostile_mq", O_RDWR | O_CREAT | O_NONBLOCK, 0600, NULL);
    char text[8192];
    ok = ok && queue >= 0 && mq_send(queue, "m", 1, 3) == 0 &&
         mq_receive(queue, text, sizeof(text), NULL) == 1 && text[0] == 'm';
    mq_close(queue);
    mq_unlink("/hostile_mq");
    int set = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    struct sembuf up = {0, 1, 0};
    ok = ok && set >= 0 && semop(set, &up, 1) == 0 && semctl(set, 0, GETVAL) == 1;
    semctl(set, 0, IPC_RMID);
    return ok;
}

/* Random calls: labels near the real ones and beyond, random words and buffer sizes,
 * sometimes a grant of one of our own handles. Calls that may block for real are skipped. */
static void garbage(aramid_handle_t endpoint, aramid_handle_t spare, int count)
{
    for (int i = 0; i < count; i++) {
        struct aramid_message message;
        unsigned label = (unsigned)(hostile_random_word() % 40);
        if (label == ARAMID_IPCS_mq_send || label == ARAMID_IPCS_mq_receive ||
            label == ARAMID_IPCS_mq_notify_wait || label == ARAMID_IPCS_sysv_semop ||
            label == ARAMID_IPCS_sysv_msgsnd || label == ARAMID_IPCS_sysv_msgrcv)
            label = 33;
        hostile_garbage_fill(&message, label);
        if (hostile_random_word() % 8 == 0) {
            long copy = sys_handle_duplicate(spare, ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT);
            if (copy > 0) {
                message.info |= ARAMID_IPC_GRANT;
                message.words[5] = (unsigned long)copy;
            }
        }
        (void)aramid_ipc_call(endpoint, &message);
        if (message.info & ARAMID_IPC_GRANT)
            (void)sys_handle_close((aramid_handle_t)message.words[5]);
    }
}

int main(void)
{
    printf("before: %s\n", everything_works() ? "ok" : "broken");

    /* 1. Garbage on the plain endpoint and on a queue's own handle. */
    struct aramid_ipcs_mq_open_request open_request = {.flags = 0102, .mode = 0600};
    struct aramid_ipcs_mq_open_reply open_reply;
    aramid_handle_t queue = 0;
    memcpy((void *)sys_ipc_buffer(), "hostile_raw", 12);
    long result = aramid_ipcs_call_mq_open(aramid_proc_self.ipc, &open_request, 12, 0,
                                           &open_reply, &queue);
    printf("raw mq_open: %ld\n", result);
    garbage(aramid_proc_self.ipc, queue, 3000);
    garbage(queue, aramid_proc_self.ipc, 3000);
    printf("after garbage: %s\n", everything_works() ? "ok" : "broken");

    /* 2. Lies: a send whose length is not what travels, a truncate granting a non-memory
     * handle, a SysV segment with an endpoint for memory. */
    struct aramid_ipcs_mq_send_request send = {.length = 100, .priority = 1, .nonblock = 1};
    struct aramid_ipcs_mq_send_reply sent;
    printf("send of 1 byte: %ld\n",
           aramid_ipcs_call_mq_send(queue, &(struct aramid_ipcs_mq_send_request){.length = 1,
                                            .nonblock = 1}, 1, 0, &sent, NULL));
    printf("send claiming 100 bytes with 5: %ld\n",
           aramid_ipcs_call_mq_send(queue, &send, 5, 0, &sent, NULL));
    int fd = shm_open("/hostile_lies", O_RDWR | O_CREAT, 0600);
    printf("truncate: %d\n", ftruncate(fd, 8192));
    struct aramid_ipcs_shm_open_request shm_request = {.flags = 2, .initial = -1};
    struct aramid_ipcs_shm_open_reply shm_reply;
    aramid_handle_t shm = 0;
    memcpy((void *)sys_ipc_buffer(), "hostile_lies", 13);
    result = aramid_ipcs_call_shm_open(aramid_proc_self.ipc, &shm_request, 13, 0, &shm_reply,
                                       &shm);
    struct aramid_ipcs_shm_truncate_request grow = {.length = 1 << 20};
    struct aramid_ipcs_shm_truncate_reply grown;
    long not_memory = sys_notification_create(0, 0);
    printf("grow granting a notification: %ld\n",
           aramid_ipcs_call_shm_truncate(shm, &grow, 0, not_memory, &grown, NULL));
    long small = sys_memory_object_create(4096);
    printf("grow granting a page for a megabyte: %ld\n",
           aramid_ipcs_call_shm_truncate(shm, &grow, 0, small, &grown, NULL));
    struct stat status;
    printf("size still: %ld\n", fstat(fd, &status) == 0 ? (long)status.st_size : -1L);
    close(fd);
    shm_unlink("/hostile_lies");
    not_memory = sys_notification_create(0, 0);
    struct aramid_ipcs_sysv_get_request get = {.kind = ARAMID_IPCS_SYSV_SHM, .size = 4096,
                                               .flags = 01000 | 0600};
    struct aramid_ipcs_sysv_get_reply got;
    printf("shmget granting a notification: %ld\n",
           aramid_ipcs_call_sysv_get(aramid_proc_self.ipc, &get, 0, not_memory, &got, NULL));
    struct aramid_ipcs_sysv_semop_request semop_request = {.id = 0, .count = 1000000};
    struct aramid_ipcs_sysv_semop_reply semop_reply;
    printf("semop of a million: %ld\n",
           aramid_ipcs_call_sysv_semop(aramid_proc_self.ipc, &semop_request, 6, 0, &semop_reply,
                                       NULL));

    /* 3. Waiters killed: children blocked in mq_receive, mq_send and semop die. */
    mqd_t shared = mq_open("/hostile_waiters", O_RDWR | O_CREAT, 0600, NULL);
    int set = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    pid_t children[6];
    for (int i = 0; i < 6; i++) {
        children[i] = fork();
        if (children[i] == 0) {
            char text[8192];
            struct sembuf down = {0, -1, SEM_UNDO};
            for (;;) {
                if (i % 3 == 0)
                    mq_receive(shared, text, sizeof(text), NULL);
                else if (i % 3 == 1)
                    semop(set, &down, 1); /* the set stays at 0: blocks */
                else
                    mq_send(shared, "fill", 4, 0); /* fills the queue, then blocks */
            }
        }
    }
    usleep(200000);
    for (int i = 0; i < 6; i++)
        kill(children[i], SIGKILL);
    int killed = 0;
    for (int i = 0; i < 6; i++) {
        int wait_status;
        if (waitpid(children[i], &wait_status, 0) == children[i] && WIFSIGNALED(wait_status))
            killed++;
    }
    printf("waiters killed: %d\n", killed);
    struct mq_attr attr;
    printf("queue usable: %s\n", mq_getattr(shared, &attr) == 0 ? "yes" : "no");
    mq_close(shared);
    mq_unlink("/hostile_waiters");
    semctl(set, 0, IPC_RMID);
    printf("at the end: %s\n", everything_works() ? "ok" : "broken");
    return 0;
}
