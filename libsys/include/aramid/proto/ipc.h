/* The ipc server's protocol, defined once: POSIX shared memory objects, named semaphores and
 * message queues. */
#ifndef ARAMID_PROTO_IPC_H
#define ARAMID_PROTO_IPC_H

#include <stddef.h>

#include <aramid/proto/proto.h>
#include <aramid/proto/ready.h>
#include <aramid/syscall.h>

/*
 * X(label, name, (request words), (reply words after `result`))
 *
 * Names travel in the IPC buffer (buffer_bytes of it, NUL included), already checked and
 * stripped of their leading slash by posix-shim; the server checks them again (1..255 bytes,
 * no '/': -EINVAL, longer: -ENAMETOOLONG). Creation calls go to the plain endpoint
 * (aramid_proc_self.ipc); their reply grants (mr5) a handle minted for the object, whose badge
 * is the object's id shifted left by one, bit 0 set when it was opened for writing. Every
 * other call goes through that handle. The server records which processes hold each object
 * (the opener, fork children from proc's feed; close, exit and execve drop them); a name
 * stays until unlinked, an unlinked object goes when nobody holds it (its memory lives on in
 * the mappings that still use it).
 *
 * shm_open: flags (O_RDONLY 0 / O_RDWR 2, O_CREAT 0100, O_EXCL 0200, O_TRUNC 01000), mode,
 *          initial (-1: a shared memory object; >= 0: a named semaphore's value, for which a
 *          created object is one page holding struct aramid_ipcs_semaphore). result 0, id,
 *          size. -ENOENT, -EEXIST, -ENFILE. O_TRUNC truncates (even with O_RDONLY, as Linux).
 * shm_unlink: -ENOENT.
 * close:   the calling process no longer holds the object.
 * shm_truncate: length (>= 0). When the object must grow past its memory, the answer is
 *          -ENOSPC and the caller sends the call again granting (mr5) a memory object of the
 *          new length rounded up to pages: the caller's memory, charged to its quota; the
 *          server copies what the old one held. -EINVAL (not writable, not a shm object,
 *          negative, a granted object that cannot be mapped at that size).
 * shm_stat: size, mode.
 * shm_map: the reply grants the object's memory (read, map; write when writable); size (what a
 *          fault reaches: the size rounded up to pages; past it SIGBUS, until it grows).
 *          -ENOSPC when it has no memory yet (size 0): the caller sends the call again
 *          granting (mr5) a memory object of one page (its own, as for shm_truncate).
 * mq_open: flags (O_RDONLY 0, O_WRONLY 1, O_RDWR 2, O_CREAT, O_EXCL), mode, maxmsg and
 *          msgsize (0, 0: Linux's defaults 10 and 8192; else each 1..limit, -EINVAL; only
 *          for a queue it creates). result 0, id (as ready_poll gives it). The badge's bit 0 says writable, bit 1
 *          readable (Linux's (flags + 1) & 3). -ENOENT, -EEXIST, -EINVAL.
 * mq_unlink: -ENOENT.
 * mq_send: length (the message: in the IPC buffer up to its size, else in a memory object of
 *          the sender's granted with the call, servers/ipc/bulk.c), priority (< 32768: -EINVAL), nonblock,
 *          deadline (absolute CLOCK_MONOTONIC ns, 0: none), sender (the caller's pid | uid <<
 *          32, as it says: what mq_notify's siginfo reports). -EMSGSIZE, -EAGAIN, -EBADF (not
 *          open for writing), -ETIMEDOUT; a full queue keeps the call until room is made.
 * mq_receive: capacity (< msgsize: -EMSGSIZE), nonblock, deadline. result = the length of the
 *          message (its bytes in the reply's IPC buffer, or a granted memory object past
 *          it), priority.
 * mq_getattr: maxmsg, msgsize, curmsgs.
 * mq_notify: registration (0: remove the caller's, 1: register the caller, -EBUSY when some
 *          process is registered); generation names the new registration.
 * mq_notify_wait: generation (of the caller's registration): kept until it fires (a message
 *          arrives on the empty queue while nobody waits in mq_receive): result 0, sender (of
 *          that message's mq_send); -ENOENT
 *          when it is not the registration in force (removed, or an older one).
 * shm_list: (plain endpoint) start (0 first) -> count, next: count records of struct
 *          aramid_ipcs_shm_entry in the reply's buffer, each followed by its name (length
 *          bytes and a NUL) and padded to 8 bytes; next = the start to ask for next, 0 after
 *          the last. Every named shm object and semaphore (sem.NAME): the vfs's /dev/shm.
 * shm_read: offset, length (<= ARAMID_IPC_BUFFER_SIZE) -> result = bytes in the reply's
 *          buffer (0 at or past the end). -EINVAL (negative, not a shm object).
 * shm_write: offset, length bytes in the request's buffer -> result = length; the object
 *          grows to offset + length. Past its memory: -ENOSPC, and the caller sends the call
 *          again granting (mr5) a memory object of capacity bytes (a multiple of the page
 *          size, >= offset + length; the caller's, as for shm_truncate). -EBADF (not
 *          writable), -EFBIG, -EINVAL.
 * ready_poll, ready_watch, ready_unwatch: a message queue's readiness for the event server
 *          (aramid/proto/ready.h): POLLIN|POLLRDNORM while it holds messages, POLLOUT|
 *          POLLWRNORM while it has room (Linux's mqueue_poll_file); id has ARAMID_READY_ID_IPC.
 *
 * System V IPC (plain endpoint; ids are System V's, global as on Linux; pid is the caller's
 * POSIX pid, reported by IPC_STAT and GETPID; Linux's flag and command values):
 * sysv_get: kind (ARAMID_IPCS_SYSV_*), key (0: IPC_PRIVATE), size (shm: bytes; sem: nsems;
 *          msg: 0), flags (IPC_CREAT 01000, IPC_EXCL 02000, mode bits). A shm segment that
 *          is created takes the memory object granted with the call (the caller's, of the size
 *          rounded up to pages). result 0, id. -ENOENT, -EEXIST, -EINVAL, -ENOSPC.
 * sysv_shm_attach: the segment's memory is granted (write when writable); the caller counts
 *          as attached once more (shm_nattch) until sysv_shm_detach, its exit or execve.
 *          size = the segment's size. -EINVAL, -EIDRM.
 * sysv_ctl: command IPC_STAT (a struct aramid_ipcs_sysv_stat in the reply's buffer),
 *          IPC_SET (one in the request's: uid, gid, mode, and qbytes for a queue), IPC_RMID;
 *          semaphores: GETVAL, SETVAL (value), GETALL, SETALL (unsigned shorts in the buffer),
 *          GETPID, GETNCNT, GETZCNT, of semaphore number. result: the value asked for, or 0.
 *          Listing (ipcs): id = an index (0..32767) for the kind's STAT commands (SHM_STAT 13
 *          and SHM_STAT_ANY 15, SEM_STAT 18 and 20, MSG_STAT 11 and 13): IPC_STAT of the object
 *          of that kind at that index, result = its id (-EINVAL: none there); IPC_INFO 3 and the
 *          kind's INFO (SHM_INFO 14, SEM_INFO 19, MSG_INFO 12), id ignored: a struct
 *          aramid_ipcs_sysv_info in the reply's buffer, result = the highest index in use of
 *          the kind (0 when none, as Linux).
 * sysv_semop: count struct sembuf in the buffer (1..500: else -EINVAL/-E2BIG), deadline
 *          (semtimedop: absolute CLOCK_MONOTONIC ns; 0 none): all or none; kept while one
 *          would wait (IPC_NOWAIT: -EAGAIN; the deadline passing: -EAGAIN, as Linux; a
 *          signal: -EINTR; removal: -EIDRM). SEM_UNDO adjustments are applied when the caller
 *          exits. -EFBIG, -ERANGE, -EINVAL.
 * sysv_msgsnd: type (> 0), length (<= 8192) bytes in the buffer, flags (IPC_NOWAIT). Kept
 *          while the queue's qbytes (16384) would be passed. -EINVAL, -EAGAIN, -EIDRM.
 * sysv_msgrcv: type (0 first, > 0 first of type, < 0 lowest type <= -type), capacity, flags
 *          (IPC_NOWAIT, MSG_NOERROR 010000, MSG_EXCEPT 020000). result = length (the bytes in
 *          the reply's buffer), type. -E2BIG (too long without MSG_NOERROR), -ENOMSG.
 */
#define ARAMID_IPCS_MESSAGES(X)                                                                     \
    X(1, shm_open, (flags, mode, initial), (id, size))                                             \
    X(2, shm_unlink, (), ())                                                                       \
    X(3, close, (), ())                                                                            \
    X(4, shm_truncate, (length), ())                                                               \
    X(5, shm_stat, (), (size, mode))                                                               \
    X(6, shm_map, (), (size))                                                                      \
    X(7, mq_open, (flags, mode, maxmsg, msgsize), (id))                                            \
    X(8, mq_unlink, (), ())                                                                        \
    X(9, mq_send, (length, priority, nonblock, deadline, sender), ())                              \
    X(10, mq_receive, (capacity, nonblock, deadline), (priority))                                  \
    X(11, mq_getattr, (), (maxmsg, msgsize, curmsgs))                                              \
    X(12, mq_notify, (registration), (generation))                                                 \
    X(13, mq_notify_wait, (generation), (sender))                                                  \
    X(14, sysv_get, (kind, key, size, flags, pid), (id))                                           \
    X(15, sysv_shm_attach, (id, writable, pid), (size))                                            \
    X(16, sysv_shm_detach, (id, pid), ())                                                          \
    X(17, sysv_ctl, (kind, id, command, number, value), ())                                        \
    X(18, sysv_semop, (id, count, deadline, pid), ())                                              \
    X(19, sysv_msgsnd, (id, type, length, flags, pid), ())                                         \
    X(20, sysv_msgrcv, (id, type, capacity, flags, pid), (type))                                   \
    X(21, shm_list, (start), (count, next))                                                        \
    X(22, shm_read, (offset, length), ())                                                          \
    X(23, shm_write, (offset, length, capacity), ())                                               \
    X(ARAMID_READY_POLL, ready_poll, (), (bits, generation, id))                                   \
    X(ARAMID_READY_WATCH, ready_watch, (), ())                                                     \
    X(ARAMID_READY_UNWATCH, ready_unwatch, (), ())

#define ARAMID_IPCS_LABEL(label, name, request, reply) ARAMID_IPCS_##name = label,
enum aramid_ipcs_label { ARAMID_IPCS_MESSAGES(ARAMID_IPCS_LABEL) ARAMID_IPCS_LABEL_END };
#undef ARAMID_IPCS_LABEL

#define ARAMID_IPCS_STRUCTS(label, name, request, reply)                                            \
    struct aramid_ipcs_##name##_request {                                                           \
        ARAMID_PROTO_FIELDS(request)                                                               \
    };                                                                                             \
    struct aramid_ipcs_##name##_reply {                                                             \
        long result;                                                                               \
        ARAMID_PROTO_FIELDS(reply)                                                                 \
    };                                                                                             \
    _Static_assert(sizeof(struct aramid_ipcs_##name##_request) <=                                   \
                           (ARAMID_IPC_REGISTERS - 1) * sizeof(long) &&                            \
                       sizeof(struct aramid_ipcs_##name##_reply) <=                                 \
                           (ARAMID_IPC_REGISTERS - 1) * sizeof(long),                              \
                   "ipc message " #name " must leave mr5 for a granted handle");
ARAMID_IPCS_MESSAGES(ARAMID_IPCS_STRUCTS)
#undef ARAMID_IPCS_STRUCTS

#define ARAMID_IPCS_NAME_MAX 255
#define ARAMID_IPCS_BADGE_WRITE 1ul
#define ARAMID_IPCS_BADGE_READ 2ul /* mq only: bit 1 of the badge */
#define ARAMID_IPCS_BADGE_SHIFT 2
#define ARAMID_IPCS_SEMAPHORE_PREFIX "sem."
/* Linux's defaults and ceilings (/proc/sys/fs/mqueue: msg_default, msgsize_default, msg_max,
 * msgsize_max) and its priority bound (MQ_PRIO_MAX). */
#define ARAMID_IPCS_MQ_MAXMSG_DEFAULT 10
#define ARAMID_IPCS_MQ_MSGSIZE_DEFAULT 8192
#define ARAMID_IPCS_MQ_MAXMSG_LIMIT 10
#define ARAMID_IPCS_MQ_MSGSIZE_LIMIT 8192
#define ARAMID_IPCS_MQ_PRIO_MAX 32768

/* One /dev/shm entry of shm_list's reply (the name follows it). */
struct aramid_ipcs_shm_entry {
    unsigned long size;
    unsigned mode;
    unsigned length;
};
#define ARAMID_IPCS_SHM_ENTRY_BYTES(length)                                                         \
    ((sizeof(struct aramid_ipcs_shm_entry) + (length) + 1 + 7) & ~7ul)

/* A named semaphore's page starts with posix-shim's sem_t (its fields in this order). */
struct aramid_ipcs_semaphore {
    unsigned value;
    unsigned waiters;
    int shared;
};

#define ARAMID_IPCS_STUB_DECLARE(label, name, request, reply)                                       \
    long aramid_ipcs_call_##name(aramid_handle_t endpoint,                                          \
                                const struct aramid_ipcs_##name##_request *request_words,           \
                                size_t buffer_bytes, aramid_handle_t grant,                        \
                                struct aramid_ipcs_##name##_reply *reply_words,                     \
                                aramid_handle_t *granted);
ARAMID_IPCS_MESSAGES(ARAMID_IPCS_STUB_DECLARE)
#undef ARAMID_IPCS_STUB_DECLARE

/* System V kinds and what IPC_STAT reports (posix-shim fills Linux's structures from it). */
#define ARAMID_IPCS_SYSV_SHM 1
#define ARAMID_IPCS_SYSV_SEM 2
#define ARAMID_IPCS_SYSV_MSG 3
struct aramid_ipcs_sysv_stat {
    long key, mode, seq;
    long size;    /* shm_segsz, sem_nsems, msg_qbytes */
    long count;   /* shm_nattch, msg_qnum */
    long bytes;   /* msg_cbytes */
    long creator; /* shm_cpid */
    long last;    /* shm_lpid, msg_lspid */
    long last_receiver; /* msg_lrpid */
    long change_time, attach_time, detach_time; /* ctime; shm atime/dtime, sem otime, msg stime/rtime */
};

/* What the INFO commands report of one kind (posix-shim fills Linux's shm_info, seminfo,
 * msginfo from it and the limits). */
struct aramid_ipcs_sysv_info {
    long used;  /* objects */
    long units; /* shm: pages of all segments; sem: semaphores; msg: messages */
    long bytes; /* msg: bytes queued */
};
#define ARAMID_IPCS_SYSV_OBJECTS_MAX 1024 /* objects of all kinds at once (SHMMNI and co.) */

/* init hands the ipc server a struct aramid_server_boot (aramid/proto/ready.h). */
#define ARAMID_IPCS_BOOT_MAGIC 0x544f4f4243504955ul /* "UIPCBOOT" */

#endif
