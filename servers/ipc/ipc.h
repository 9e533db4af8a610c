/* The ipc server's internals: named objects (shared memory, semaphores, message queues), their
 * holders, kept calls, and the handlers generated from ARAMID_IPCS_MESSAGES. */
#ifndef IPC_IPC_H
#define IPC_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aramid/errno.h>
#include <aramid/heap.h>
#include <aramid/holders.h>
#include <aramid/proto/ipc.h>
#include <aramid/proto/proc.h>
#include <aramid/server.h>
#include <aramid/proto/ready.h>
#include <aramid/sys.h>

#include "mq_queue.h"

enum ipc_kind { IPC_SHM = 1, IPC_MQ };

/* A watch of the event server on a queue: the notification to signal, and who made it. */
struct ipc_watch {
    struct ipc_watch *next;
    aramid_handle_t notification;
    unsigned long sender;
};

/* A call the server keeps until it can answer it: a blocked mq_send (with its message), a
 * blocked mq_receive, a notification waiter. */
struct ipc_pending {
    struct ipc_pending *next;
    unsigned long token;
    unsigned long sender;
    unsigned long deadline; /* 0: none */
    size_t capacity;        /* mq_receive */
    unsigned long generation; /* mq_notify_wait */
    struct mq_message *message; /* mq_send */
};

/*
 * An object. Invariants: id is unique for the server's lifetime (badge = id << SHIFT | access);
 * linked says the name is in the namespace (shm_unlink/mq_unlink clear it); the object goes
 * when it is not linked and no process holds it. Shared memory: memory (0 while size is 0) is
 * a memory object of capacity bytes >= size, mapped at mapped in the server's space.
 * Queues: queue holds the messages; senders and receivers are kept calls; notify_owner the
 * registered process (0: none).
 */
struct ipc_object {
    unsigned long id;
    enum ipc_kind kind;
    bool linked;
    char name[ARAMID_IPCS_NAME_MAX + 1];
    unsigned long mode;
    struct aramid_holders holders;
    unsigned long size, capacity;
    aramid_handle_t memory;
    unsigned char *mapped;
    struct mq_queue queue;
    struct ipc_pending *senders, *receivers, *notify_waiters;
    struct ipc_watch *watches;
    unsigned long generation; /* readiness events (a message in, room made) */
    unsigned long notify_owner;
    unsigned long notify_generation; /* of the registration in force, or of the last one */
    bool notify_fired;               /* that one fired before its waiter came */
    long notify_sender;              /* the mq_send sender word of the message that fired it */
};

/* The call being handled. */
struct ipc_call {
    struct ipc_object *object; /* the badge's object, NULL for the plain endpoint */
    unsigned long access;      /* the badge's ARAMID_IPCS_BADGE_* bits */
    unsigned long sender;
    unsigned long token;
    aramid_handle_t granted; /* handle moved with the call (0: none); a handler may take it */
    aramid_handle_t grant;   /* handle to move with the reply (0: none) */
    void *buffer;            /* the IPC buffer: request bytes, then reply bytes */
    size_t request_bytes;
    size_t reply_bytes;
    bool kept; /* the handler kept the call: no reply now */
};

struct ipc_globals {
    aramid_handle_t endpoint;
    aramid_handle_t space;
    aramid_handle_t proc;
    aramid_handle_t notifications;
    aramid_handle_t proc_feed;
    void *buffer; /* the server thread's IPC buffer (one thread: asked once) */
};
extern struct ipc_globals ipc;

#define IPC_KEY_PROC 1ul

#define IPC_HANDLER_DECLARE(label, name, request_list, reply_list)                                 \
    void ipc_do_##name(struct ipc_call *call, const struct aramid_ipcs_##name##_request *request, \
                       struct aramid_ipcs_##name##_reply *reply);
ARAMID_IPCS_MESSAGES(IPC_HANDLER_DECLARE)
#undef IPC_HANDLER_DECLARE

/* table.c (ARAMID_SERVER_DISPATCH): always 0, the handlers answer or keep through call. */
int ipc_dispatch(struct ipc_call *call, unsigned label,
                 const unsigned long words[ARAMID_IPC_REGISTERS],
                 unsigned long reply_words[ARAMID_IPC_REGISTERS]);

/* objects.c */
/* The name of a creation call (the IPC buffer), checked: 0, -EINVAL, -ENAMETOOLONG. */
long ipc_name_read(const struct ipc_call *call, char name[ARAMID_IPCS_NAME_MAX + 1]);
struct ipc_object *ipc_object_lookup(enum ipc_kind kind, const char *name);
struct ipc_object *ipc_object_create(enum ipc_kind kind, const char *name, unsigned long sender);
struct ipc_object *ipc_object_find(unsigned long id);
/* A minted handle for object with access bits, or -errno. */
long ipc_object_mint(struct ipc_object *object, unsigned long access);
/* ipc_object_mint for an open by sender that just found (or, created, made) object; when no
 * handle can be minted, the open is undone (the new object abandoned, or sender's hold
 * released) and -errno returned. */
long ipc_object_mint_opened(struct ipc_object *object, unsigned long access, bool created,
                            unsigned long sender);
/* Holds for sender (0 or -ENOMEM). */
long ipc_object_hold(struct ipc_object *object, unsigned long sender);
/* Drops sender's hold; destroys the object when it is unlinked and nobody holds it. */
void ipc_object_release(struct ipc_object *object, unsigned long sender);
/* Unlinks object's name; destroys it when nobody holds it. */
void ipc_object_unlink(struct ipc_object *object);
/* The unlink of a name of kind read from call's buffer (shm_unlink, mq_unlink): 0; -EINVAL
 * when the call was made on an object, the name's errors, -ENOENT for no such name. */
long ipc_object_unlink_named(const struct ipc_call *call, enum ipc_kind kind);
/* A creation that failed after ipc_object_create: the name and sender's hold go. */
void ipc_object_abandon(struct ipc_object *object, unsigned long sender);
/* Walks the objects of kind from index: the next one at or after it, or NULL; *at its index. */
struct ipc_object *ipc_object_next(enum ipc_kind kind, unsigned long index, unsigned long *at);
void ipc_objects_feed(void);

/* shm.c */
void ipc_shm_destroy(struct ipc_object *object);
/* mqueue.c */
void ipc_mq_destroy(struct ipc_object *object);
/* After a queue changed (event: a message came or room was made): its watchers are told. */
void ipc_mq_changed(struct ipc_object *object);
/* process closed a descriptor of object (or unregistered): its registration and its
 * notification waiters (answered -ENOENT) go. */
void ipc_mq_closed(struct ipc_object *object, unsigned long process);
/* A process went (exit, exec): its registrations go. */
void ipc_mq_process_gone(unsigned long process);
/* A cancel notice: the kept call with token gets -ETIMEDOUT (its deadline passed) or -EINTR. */
void ipc_cancel(unsigned long token);

/* sysv.c: a cancel notice for a kept System V call (true when it was one); proc's feed. */
bool ipc_sysv_cancel(unsigned long token);
void ipc_sysv_fork(unsigned long parent, unsigned long child);
/* exited: an exit (SEM_UNDO applies), else an execve (attachments go). */
void ipc_sysv_process_gone(unsigned long process, bool exited);

/* bulk.c: message bytes. In: length bytes of the call (its IPC buffer, or past one buffer a
 * granted memory object, which it leaves in call->granted to be closed): 0 or -EINVAL. Out:
 * into the IPC buffer (returns the byte count for the reply), or past one buffer into a new
 * memory object in *grant (returns 0). ipc_answer_bulk answers a kept call with result, one
 * word and the bytes. */
long ipc_bulk_in(struct ipc_call *call, void *destination, size_t length);
long ipc_bulk_out(const void *source, size_t length, aramid_handle_t *grant);
long ipc_answer_bulk(unsigned long token, long result, long word, const void *source,
                     size_t length);


#endif
