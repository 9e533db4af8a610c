/* posix-shim's <sys/msg.h>: System V message queues (the ipc server), Linux's values and
 * x86-64 glibc's struct msqid_ds. */
#ifndef _SYS_MSG_H
#define _SYS_MSG_H

#include <sys/ipc.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MSG_NOERROR 010000
#define MSG_EXCEPT 020000
#define MSG_COPY 040000
#define MSG_STAT 11
#define MSG_INFO 12
#define MSG_STAT_ANY 13

typedef unsigned long msgqnum_t;
typedef unsigned long msglen_t;

struct msqid_ds {
    struct ipc_perm msg_perm;
    time_t msg_stime;
    time_t msg_rtime;
    time_t msg_ctime;
    unsigned long __msg_cbytes;
    msgqnum_t msg_qnum;
    msglen_t msg_qbytes;
    pid_t msg_lspid;
    pid_t msg_lrpid;
    unsigned long __glibc_reserved4;
    unsigned long __glibc_reserved5;
};

/* msgctl's IPC_INFO and MSG_INFO (glibc's layout). */
struct msginfo {
    int msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
    unsigned short msgseg;
};

int msgget(key_t key, int flags);
int msgsnd(int id, const void *message, size_t length, int flags);
ssize_t msgrcv(int id, void *message, size_t length, long type, int flags);
int msgctl(int id, int command, struct msqid_ds *buffer);

#ifdef __cplusplus
}
#endif

#endif
