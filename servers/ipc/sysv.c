/* System V IPC: shared memory segments, semaphore sets (with SEM_UNDO applied at exit) and
 * message queues, with Linux's ids, keys, limits and errors (ipc/shm.c, sem.c, msg.c). */
#include "ipc.h"

#include "kstring.h"
#include "sysv_sem.h"

#define SYSV_SLOTS ARAMID_IPCS_SYSV_OBJECTS_MAX /* objects of all kinds at once */
#define SYSV_SEQ_MULTIPLIER 32768 /* Linux's IPCMNI: id = seq * 32768 + index */
#define SYSV_IPC_CREAT 01000
#define SYSV_IPC_EXCL 02000
#define SYSV_IPC_RMID 0
#define SYSV_IPC_SET 1
#define SYSV_IPC_STAT 2
#define SYSV_IPC_INFO 3
#define SYSV_GETPID 11
#define SYSV_GETVAL 12
#define SYSV_GETALL 13
#define SYSV_GETNCNT 14
#define SYSV_GETZCNT 15
#define SYSV_SETVAL 16
#define SYSV_SETALL 17
#define SYSV_MSG_NOERROR 010000
#define SYSV_MSG_EXCEPT 020000
#define SYSV_MSGMAX 8192
#define SYSV_MSGMNB 16384
#define SYSV_SHMMIN 1
#define SYSV_SHMMAX (1ul << 40)
#define SYSV_PAGE 4096ul

/* A process's stake in an object: shm attachments, or a semaphore set's undo adjustments. */
struct sysv_process {
    struct sysv_process *next;
    unsigned long process;
    unsigned long attached; /* shm */
    int *undo;              /* sem: nsems adjustments, applied at exit */
};

/* A message of a System V queue. */
struct sysv_message {
    struct sysv_message *next;
    long type;
    size_t length;
    unsigned char text[];
};

/* A kept semop, msgsnd or msgrcv. */
struct sysv_pending {
    struct sysv_pending *next;
    unsigned long token, sender, deadline;
    long pid;
    unsigned count; /* semop: ops */
    struct sysv_sembuf ops[SYSV_SEMOPM];
    long type;      /* msgsnd: the message's; msgrcv: the wanted */
    long flags;
    size_t capacity;
    struct sysv_message *message; /* msgsnd */
};

/* Invariant: slots[index] is NULL or the object whose id is seq * 32768 + index. */
struct sysv_object {
    int kind;
    unsigned index, seq;
    long key;
    unsigned long mode, uid, gid;
    long creator, last, last_receiver;
    long change_time, attach_time, detach_time;
    bool removed; /* shm: IPC_RMID with attachments left (SHM_DEST) */
    struct sysv_process *processes;
    /* shm */
    unsigned long size;
    aramid_handle_t memory;
    unsigned long attached;
    /* sem */
    unsigned nsems;
    unsigned short *values;
    long *pids;
    /* msg */
    struct sysv_message *messages;
    unsigned long qnum, cbytes, qbytes;
    struct sysv_pending *pending;
};

static struct sysv_object *sysv_slots[SYSV_SLOTS];
/* Invariant: every slot at or above sysv_slot_end is NULL, so that the scans (key lookup, and
 * on every fork and exit the feed's) stop there rather than at SYSV_SLOTS. */
static unsigned sysv_slot_end;
static unsigned sysv_seq;

static long sysv_now(void)
{
    return (long)(aramid_clock_realtime_ns() / 1000000000ul);
}

static int sysv_id(const struct sysv_object *object)
{
    return (int)(object->seq * SYSV_SEQ_MULTIPLIER + object->index);
}

static struct sysv_object *sysv_find(int kind, long id)
{
    if (id < 0)
        return NULL;
    unsigned long index = (unsigned long)id % SYSV_SEQ_MULTIPLIER;
    struct sysv_object *object = index < SYSV_SLOTS ? sysv_slots[index] : NULL;
    if (object == NULL || object->kind != kind || sysv_id(object) != id)
        return NULL;
    return object;
}

static struct sysv_object *sysv_find_key(int kind, long key)
{
    for (unsigned i = 0; i < sysv_slot_end; i++) {
        struct sysv_object *object = sysv_slots[i];
        if (object != NULL && object->kind == kind && object->key == key && !object->removed)
            return object;
    }
    return NULL;
}

static struct sysv_process *sysv_process_of(struct sysv_object *object, unsigned long process,
                                            bool create)
{
    for (struct sysv_process *entry = object->processes; entry != NULL; entry = entry->next)
        if (entry->process == process)
            return entry;
    if (!create)
        return NULL;
    struct sysv_process *entry = aramid_heap_alloc(sizeof(*entry));
    if (entry == NULL)
        return NULL;
    if (object->kind == ARAMID_IPCS_SYSV_SEM &&
        (entry->undo = aramid_heap_alloc(object->nsems * sizeof(int))) == NULL) {
        aramid_heap_free(entry, sizeof(*entry));
        return NULL;
    }
    entry->process = process;
    entry->next = object->processes;
    object->processes = entry;
    return entry;
}

static void sysv_process_free(struct sysv_object *object, struct sysv_process *entry)
{
    if (entry->undo != NULL)
        aramid_heap_free(entry->undo, object->nsems * sizeof(int));
    aramid_heap_free(entry, sizeof(*entry));
}

static void sysv_message_free(struct sysv_message *message)
{
    if (message != NULL)
        aramid_heap_free(message, sizeof(*message) + message->length);
}

static void sysv_pending_free(struct sysv_pending *pending)
{
    sysv_message_free(pending->message);
    aramid_heap_free(pending, sizeof(*pending));
}

/* Ends the object: kept calls get -EIDRM; memory and messages go. */
static void sysv_destroy(struct sysv_object *object)
{
    struct sysv_pending *pending;
    while ((pending = object->pending) != NULL) {
        object->pending = pending->next;
        (void)aramid_server_answer(pending->token, -ARAMID_EIDRM, NULL, 0, 0, 0);
        sysv_pending_free(pending);
    }
    struct sysv_process *entry;
    while ((entry = object->processes) != NULL) {
        object->processes = entry->next;
        sysv_process_free(object, entry);
    }
    struct sysv_message *message;
    while ((message = object->messages) != NULL) {
        object->messages = message->next;
        sysv_message_free(message);
    }
    if (object->memory > 0)
        (void)sys_handle_close(object->memory);
    if (object->values != NULL) {
        aramid_heap_free(object->values, object->nsems * sizeof(unsigned short));
        aramid_heap_free(object->pids, object->nsems * sizeof(long));
    }
    sysv_slots[object->index] = NULL;
    while (sysv_slot_end > 0 && sysv_slots[sysv_slot_end - 1] == NULL)
        sysv_slot_end--;
    aramid_heap_free(object, sizeof(*object));
}

static struct sysv_object *sysv_create(int kind, long key, unsigned long mode, long pid)
{
    for (unsigned i = 0; i < SYSV_SLOTS; i++) {
        if (sysv_slots[i] != NULL)
            continue;
        struct sysv_object *object = aramid_heap_alloc(sizeof(*object));
        if (object == NULL)
            return NULL;
        object->kind = kind;
        object->index = i;
        object->seq = sysv_seq++ % (0x7fffffff / SYSV_SEQ_MULTIPLIER);
        object->key = key;
        object->mode = mode & 0777;
        object->creator = pid;
        object->change_time = sysv_now();
        sysv_slots[i] = object;
        if (i >= sysv_slot_end)
            sysv_slot_end = i + 1;
        return object;
    }
    return NULL;
}

static long sysv_create_kind(struct ipc_call *call, const struct aramid_ipcs_sysv_get_request *request,
                             struct sysv_object **out)
{
    long kind = request->kind, size = request->size;
    if (kind == ARAMID_IPCS_SYSV_SHM && (size < SYSV_SHMMIN || (unsigned long)size > SYSV_SHMMAX))
        return -ARAMID_EINVAL;
    if (kind == ARAMID_IPCS_SYSV_SEM && (size <= 0 || size > SYSV_SEMMSL))
        return -ARAMID_EINVAL;
    if (kind == ARAMID_IPCS_SYSV_SHM && call->granted <= 0)
        return -ARAMID_ENOMEM;
    struct sysv_object *object =
        sysv_create((int)kind, request->key, (unsigned long)request->flags, request->pid);
    if (object == NULL)
        return -ARAMID_ENOSPC;
    if (kind == ARAMID_IPCS_SYSV_SHM) {
        /* The granted memory must really be a memory object of the size. */
        unsigned long pages = ((unsigned long)size + SYSV_PAGE - 1) & ~(SYSV_PAGE - 1);
        long probe = aramid_memory_map(ipc.space, pages, ARAMID_PROT_READ, call->granted, 0);
        if (probe < 0) {
            sysv_destroy(object);
            return -ARAMID_EINVAL;
        }
        (void)sys_vm_unmap(ipc.space, (unsigned long)probe, pages);
        object->memory = call->granted;
        call->granted = 0;
        object->size = (unsigned long)size;
    } else if (kind == ARAMID_IPCS_SYSV_SEM) {
        object->nsems = (unsigned)size;
        object->values = aramid_heap_alloc(object->nsems * sizeof(unsigned short));
        object->pids = aramid_heap_alloc(object->nsems * sizeof(long));
        if (object->values == NULL || object->pids == NULL) {
            if (object->values != NULL)
                aramid_heap_free(object->values, object->nsems * sizeof(unsigned short));
            object->values = NULL;
            sysv_destroy(object);
            return -ARAMID_ENOMEM;
        }
    } else {
        object->qbytes = SYSV_MSGMNB;
    }
    *out = object;
    return 0;
}

void ipc_do_sysv_get(struct ipc_call *call, const struct aramid_ipcs_sysv_get_request *request,
                     struct aramid_ipcs_sysv_get_reply *reply)
{
    long kind = request->kind;
    if (call->object != NULL ||
        (kind != ARAMID_IPCS_SYSV_SHM && kind != ARAMID_IPCS_SYSV_SEM &&
         kind != ARAMID_IPCS_SYSV_MSG)) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    struct sysv_object *object =
        request->key != 0 ? sysv_find_key((int)kind, request->key) : NULL;
    long result = 0;
    if (object != NULL) {
        if ((request->flags & SYSV_IPC_CREAT) && (request->flags & SYSV_IPC_EXCL))
            result = -ARAMID_EEXIST;
        else if (kind == ARAMID_IPCS_SYSV_SHM && (unsigned long)request->size > object->size)
            result = -ARAMID_EINVAL;
        else if (kind == ARAMID_IPCS_SYSV_SEM && request->size > (long)object->nsems)
            result = -ARAMID_EINVAL;
    } else if (request->key != 0 && !(request->flags & SYSV_IPC_CREAT)) {
        result = -ARAMID_ENOENT;
    } else {
        result = sysv_create_kind(call, request, &object);
    }
    reply->result = result;
    if (result == 0)
        reply->id = sysv_id(object);
}

void ipc_do_sysv_shm_attach(struct ipc_call *call,
                            const struct aramid_ipcs_sysv_shm_attach_request *request,
                            struct aramid_ipcs_sysv_shm_attach_reply *reply)
{
    struct sysv_object *object = sysv_find(ARAMID_IPCS_SYSV_SHM, request->id);
    if (object == NULL) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    struct sysv_process *entry = sysv_process_of(object, call->sender, true);
    unsigned long rights = ARAMID_RIGHT_READ | ARAMID_RIGHT_MAP | ARAMID_RIGHT_GRANT;
    if (request->writable)
        rights |= ARAMID_RIGHT_WRITE;
    long handle = entry == NULL ? -ARAMID_ENOMEM : sys_handle_duplicate(object->memory, rights);
    if (handle < 0) {
        reply->result = handle;
        return;
    }
    entry->attached++;
    object->attached++;
    object->last = request->pid;
    object->attach_time = sysv_now();
    call->grant = handle;
    reply->result = 0;
    reply->size = (long)object->size;
}

/* One attachment of process goes; a removed segment goes with its last one. */
static void sysv_shm_detach(struct sysv_object *object, struct sysv_process *entry)
{
    entry->attached--;
    object->attached--;
    object->detach_time = sysv_now();
    if (entry->attached == 0) {
        struct sysv_process **link = &object->processes;
        while (*link != entry)
            link = &(*link)->next;
        *link = entry->next;
        sysv_process_free(object, entry);
    }
    if (object->removed && object->attached == 0)
        sysv_destroy(object);
}

void ipc_do_sysv_shm_detach(struct ipc_call *call,
                            const struct aramid_ipcs_sysv_shm_detach_request *request,
                            struct aramid_ipcs_sysv_shm_detach_reply *reply)
{
    struct sysv_object *object = sysv_find(ARAMID_IPCS_SYSV_SHM, request->id);
    struct sysv_process *entry =
        object != NULL ? sysv_process_of(object, call->sender, false) : NULL;
    if (entry == NULL || entry->attached == 0) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    object->last = request->pid;
    sysv_shm_detach(object, entry);
    reply->result = 0;
}

/* --- semaphores --- */

/* Applies pending's ops if they can go now; answers it when they did or failed. */
static bool sysv_semop_try(struct sysv_object *object, struct sysv_pending *pending)
{
    unsigned blocker;
    long result = sysv_sem_try(object->values, object->nsems, pending->ops, pending->count,
                               &blocker);
    if (result == 1)
        return false;
    if (result == 0) {
        struct sysv_process *entry = NULL;
        for (unsigned i = 0; i < pending->count; i++) {
            const struct sysv_sembuf *op = &pending->ops[i];
            object->pids[op->sem_num] = pending->pid;
            if (!(op->sem_flg & SYSV_SEM_UNDO) || op->sem_op == 0)
                continue;
            if (entry == NULL)
                entry = sysv_process_of(object, pending->sender, true);
            if (entry != NULL)
                entry->undo[op->sem_num] -= op->sem_op;
        }
        object->attach_time = sysv_now(); /* sem_otime */
    }
    if (pending->token != 0)
        (void)aramid_server_answer(pending->token, result, NULL, 0, 0, 0);
    pending->token = 0;
    pending->deadline = result; /* the answer, for a call answered now */
    return true;
}

/* After a change: every kept semop that can go now goes, until none can (Linux's
 * update_queue). */
static void sysv_sem_update(struct sysv_object *object)
{
    bool moved = true;
    while (moved) {
        moved = false;
        for (struct sysv_pending **link = &object->pending; *link != NULL;) {
            struct sysv_pending *pending = *link;
            if (sysv_semop_try(object, pending)) {
                *link = pending->next;
                sysv_pending_free(pending);
                moved = true;
            } else {
                link = &pending->next;
            }
        }
    }
}

void ipc_do_sysv_semop(struct ipc_call *call, const struct aramid_ipcs_sysv_semop_request *request,
                       struct aramid_ipcs_sysv_semop_reply *reply)
{
    long count = request->count;
    struct sysv_object *object = sysv_find(ARAMID_IPCS_SYSV_SEM, request->id);
    if (count <= 0 || (size_t)count * sizeof(struct sysv_sembuf) != call->request_bytes) {
        reply->result = count > SYSV_SEMOPM ? -ARAMID_E2BIG : -ARAMID_EINVAL;
        return;
    }
    if (object == NULL) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    struct sysv_pending *pending = aramid_heap_alloc(sizeof(*pending));
    if (pending == NULL) {
        reply->result = -ARAMID_ENOMEM;
        return;
    }
    memcpy(pending->ops, call->buffer, call->request_bytes);
    pending->count = (unsigned)count;
    pending->sender = call->sender;
    pending->pid = request->pid;
    if (sysv_semop_try(object, pending)) {
        reply->result = (long)pending->deadline;
        sysv_pending_free(pending);
        if (reply->result == 0)
            sysv_sem_update(object);
        return;
    }
    if (request->deadline != 0 && aramid_clock_monotonic_ns() >= (unsigned long)request->deadline) {
        reply->result = -ARAMID_EAGAIN; /* semtimedop's timeout, as Linux reports it */
        sysv_pending_free(pending);
        return;
    }
    pending->token = call->token;
    pending->deadline = (unsigned long)request->deadline;
    pending->next = NULL;
    struct sysv_pending **link = &object->pending;
    while (*link != NULL)
        link = &(*link)->next;
    *link = pending;
    call->kept = true;
}

/* The number of kept semops waiting on semaphore number for a decrement (zero: for zero). */
static long sysv_sem_waiters(const struct sysv_object *object, unsigned number, bool zero)
{
    long count = 0;
    for (const struct sysv_pending *pending = object->pending; pending != NULL;
         pending = pending->next) {
        unsigned blocker;
        /* Linux counts the op a task sleeps on: the first that cannot go. */
        unsigned short *values = aramid_heap_alloc(object->nsems * sizeof(unsigned short));
        if (values == NULL)
            continue;
        memcpy(values, object->values, object->nsems * sizeof(unsigned short));
        if (sysv_sem_try(values, object->nsems, pending->ops, pending->count, &blocker) == 1) {
            const struct sysv_sembuf *op = &pending->ops[blocker];
            if (op->sem_num == number && (zero ? op->sem_op == 0 : op->sem_op < 0))
                count++;
        }
        aramid_heap_free(values, object->nsems * sizeof(unsigned short));
    }
    return count;
}

/* --- message queues --- */

/* Whether message matches msgrcv's type and flags. */
static bool sysv_msg_matches(const struct sysv_message *message, long type, long flags)
{
    if (type == 0)
        return true;
    if (type > 0)
        return (flags & SYSV_MSG_EXCEPT) ? message->type != type : message->type == type;
    return message->type <= -type;
}

/* The message msgrcv takes: the first match, or for a negative type the lowest type (the
 * first of it). NULL when none. *link is where it hangs. */
static struct sysv_message **sysv_msg_find(struct sysv_object *object, long type, long flags)
{
    struct sysv_message **best = NULL;
    for (struct sysv_message **link = &object->messages; *link != NULL; link = &(*link)->next) {
        if (!sysv_msg_matches(*link, type, flags))
            continue;
        if (type >= 0)
            return link;
        if (best == NULL || (*link)->type < (*best)->type)
            best = link;
    }
    return best;
}

static void sysv_msg_append(struct sysv_object *object, struct sysv_message *message)
{
    struct sysv_message **link = &object->messages;
    while (*link != NULL)
        link = &(*link)->next;
    message->next = NULL;
    *link = message;
    object->qnum++;
    object->cbytes += message->length;
}

/* Unlinks the message at link for a receiver of capacity, or leaves it and returns NULL with
 * -E2BIG in *result when it does not fit and MSG_NOERROR is not set. */
static struct sysv_message *sysv_msg_take(struct sysv_object *object, struct sysv_message **link,
                                          size_t capacity, long flags, long pid, long *result)
{
    struct sysv_message *message = *link;
    if (message->length > capacity && !(flags & SYSV_MSG_NOERROR)) {
        *result = -ARAMID_E2BIG;
        return NULL;
    }
    *result = (long)(message->length < capacity ? message->length : capacity);
    *link = message->next;
    object->qnum--;
    object->cbytes -= message->length;
    object->last_receiver = pid;
    object->detach_time = sysv_now(); /* msg_rtime */
    return message;
}

/* After a change: kept receivers that can take a message do, kept senders that fit go in. */
static void sysv_msg_update(struct sysv_object *object)
{
    bool moved = true;
    while (moved) {
        moved = false;
        for (struct sysv_pending **link = &object->pending; *link != NULL;) {
            struct sysv_pending *pending = *link;
            long result = 1;
            struct sysv_message *taken = NULL;
            if (pending->message != NULL) {
                if (object->cbytes + pending->message->length <= object->qbytes) {
                    sysv_msg_append(object, pending->message);
                    object->last = pending->pid;
                    object->attach_time = sysv_now();
                    pending->message = NULL;
                    result = 0;
                }
            } else {
                struct sysv_message **found = sysv_msg_find(object, pending->type, pending->flags);
                if (found != NULL)
                    taken = sysv_msg_take(object, found, pending->capacity, pending->flags,
                                          pending->pid, &result);
            }
            if (result == 1) {
                link = &pending->next;
                continue;
            }
            *link = pending->next;
            if (taken != NULL)
                (void)ipc_answer_bulk(pending->token, result, taken->type, taken->text,
                                      (size_t)result);
            else
                (void)aramid_server_answer(pending->token, result, NULL, 0, 0, 0);
            sysv_message_free(taken);
            sysv_pending_free(pending);
            moved = true;
        }
    }
}

/* Keeps a msgsnd or msgrcv until the queue moves. */
static void sysv_msg_keep(struct ipc_call *call, struct sysv_object *object,
                          struct sysv_pending *pending)
{
    pending->token = call->token;
    pending->sender = call->sender;
    pending->next = NULL;
    struct sysv_pending **link = &object->pending;
    while (*link != NULL)
        link = &(*link)->next;
    *link = pending;
    call->kept = true;
}

void ipc_do_sysv_msgsnd(struct ipc_call *call, const struct aramid_ipcs_sysv_msgsnd_request *request,
                        struct aramid_ipcs_sysv_msgsnd_reply *reply)
{
    struct sysv_object *object = sysv_find(ARAMID_IPCS_SYSV_MSG, request->id);
    long length = request->length;
    if (length < 0 || length > SYSV_MSGMAX || request->type <= 0 || object == NULL) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    struct sysv_message *message = aramid_heap_alloc(sizeof(*message) + (size_t)length);
    if (message == NULL) {
        reply->result = -ARAMID_ENOMEM;
        return;
    }
    message->type = request->type;
    message->length = (size_t)length;
    long result = ipc_bulk_in(call, message->text, (size_t)length);
    if (result < 0) {
        sysv_message_free(message);
        reply->result = result;
        return;
    }
    if (object->cbytes + (size_t)length <= object->qbytes) {
        sysv_msg_append(object, message);
        object->last = request->pid;
        object->attach_time = sysv_now(); /* msg_stime */
        reply->result = 0;
        sysv_msg_update(object);
        return;
    }
    struct sysv_pending *pending =
        (request->flags & SYSV_IPC_NOWAIT) ? NULL : aramid_heap_alloc(sizeof(*pending));
    if (pending == NULL) {
        sysv_message_free(message);
        reply->result = (request->flags & SYSV_IPC_NOWAIT) ? -ARAMID_EAGAIN : -ARAMID_ENOMEM;
        return;
    }
    pending->message = message;
    pending->pid = request->pid;
    sysv_msg_keep(call, object, pending);
}

void ipc_do_sysv_msgrcv(struct ipc_call *call, const struct aramid_ipcs_sysv_msgrcv_request *request,
                        struct aramid_ipcs_sysv_msgrcv_reply *reply)
{
    struct sysv_object *object = sysv_find(ARAMID_IPCS_SYSV_MSG, request->id);
    if (object == NULL || request->capacity < 0) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    size_t capacity = (size_t)request->capacity;
    struct sysv_message **found = sysv_msg_find(object, request->type, request->flags);
    if (found != NULL) {
        long result;
        struct sysv_message *taken =
            sysv_msg_take(object, found, capacity, request->flags, request->pid, &result);
        reply->result = result;
        if (taken == NULL)
            return;
        /* Room for kept senders first: answering them may use the IPC buffer. */
        sysv_msg_update(object);
        long bytes = ipc_bulk_out(taken->text, (size_t)result, &call->grant);
        if (bytes < 0)
            reply->result = bytes;
        else
            call->reply_bytes = (size_t)bytes;
        reply->type = taken->type;
        sysv_message_free(taken);
        return;
    }
    struct sysv_pending *pending =
        (request->flags & SYSV_IPC_NOWAIT) ? NULL : aramid_heap_alloc(sizeof(*pending));
    if (pending == NULL) {
        reply->result = (request->flags & SYSV_IPC_NOWAIT) ? -ARAMID_ENOMSG : -ARAMID_ENOMEM;
        return;
    }
    pending->type = request->type;
    pending->flags = request->flags;
    pending->capacity = capacity;
    pending->pid = request->pid;
    sysv_msg_keep(call, object, pending);
}

/* --- control --- */

static void sysv_stat(const struct sysv_object *object, struct aramid_ipcs_sysv_stat *stat)
{
    *stat = (struct aramid_ipcs_sysv_stat){
        .key = object->key,
        .mode = (long)(object->mode | (object->removed ? 01000 : 0)),
        .seq = object->seq,
        .creator = object->creator,
        .last = object->last,
        .last_receiver = object->last_receiver,
        .change_time = object->change_time,
        .attach_time = object->attach_time,
        .detach_time = object->detach_time,
    };
    if (object->kind == ARAMID_IPCS_SYSV_SHM) {
        stat->size = (long)object->size;
        stat->count = (long)object->attached;
    } else if (object->kind == ARAMID_IPCS_SYSV_SEM) {
        stat->size = object->nsems;
    } else {
        stat->size = (long)object->qbytes;
        stat->count = (long)object->qnum;
        stat->bytes = (long)object->cbytes;
    }
}

/* IPC_RMID: a shm segment with attachments stays (key private, SHM_DEST) until the last goes. */
static void sysv_remove(struct sysv_object *object)
{
    if (object->kind == ARAMID_IPCS_SYSV_SHM && object->attached > 0) {
        object->removed = true;
        object->key = 0;
        return;
    }
    sysv_destroy(object);
}

static long sysv_sem_control(struct ipc_call *call, struct sysv_object *object,
                             const struct aramid_ipcs_sysv_ctl_request *request)
{
    long command = request->command;
    size_t all = object->nsems * sizeof(unsigned short);
    if (command == SYSV_GETALL) {
        memcpy(call->buffer, object->values, all);
        call->reply_bytes = all;
        return 0;
    }
    if (command == SYSV_SETALL) {
        if (call->request_bytes != all)
            return -ARAMID_EINVAL;
        const unsigned short *values = call->buffer;
        for (unsigned i = 0; i < object->nsems; i++)
            if (values[i] > SYSV_SEMVMX)
                return -ARAMID_ERANGE;
        memcpy(object->values, values, all);
        for (struct sysv_process *entry = object->processes; entry != NULL; entry = entry->next)
            memset(entry->undo, 0, object->nsems * sizeof(int));
        object->change_time = sysv_now();
        sysv_sem_update(object);
        return 0;
    }
    if (request->number < 0 || request->number >= (long)object->nsems)
        return -ARAMID_EINVAL;
    unsigned number = (unsigned)request->number;
    switch (command) {
    case SYSV_GETVAL:
        return object->values[number];
    case SYSV_GETPID:
        return object->pids[number];
    case SYSV_GETNCNT:
        return sysv_sem_waiters(object, number, false);
    case SYSV_GETZCNT:
        return sysv_sem_waiters(object, number, true);
    case SYSV_SETVAL:
        if (request->value < 0 || request->value > SYSV_SEMVMX)
            return -ARAMID_ERANGE;
        object->values[number] = (unsigned short)request->value;
        for (struct sysv_process *entry = object->processes; entry != NULL; entry = entry->next)
            entry->undo[number] = 0;
        object->change_time = sysv_now();
        sysv_sem_update(object);
        return 0;
    default:
        return -ARAMID_EINVAL;
    }
}

/* The listing commands of kind (ipcs): 1 for a STAT by index, 2 for an INFO, 0 for neither. */
static int sysv_listing_command(long kind, long command)
{
    if (command == SYSV_IPC_INFO)
        return 2;
    if (kind == ARAMID_IPCS_SYSV_SHM)
        return command == 13 || command == 15 ? 1 : command == 14 ? 2 : 0;
    if (kind == ARAMID_IPCS_SYSV_SEM)
        return command == 18 || command == 20 ? 1 : command == 19 ? 2 : 0;
    return command == 11 || command == 13 ? 1 : command == 12 ? 2 : 0;
}

/* IPC_INFO and *_INFO: what kind holds now (reply buffer); result = its highest index. */
static long sysv_info(struct ipc_call *call, int kind)
{
    struct aramid_ipcs_sysv_info info = {0};
    long highest = 0;
    for (unsigned i = 0; i < SYSV_SLOTS; i++) {
        const struct sysv_object *object = sysv_slots[i];
        if (object == NULL || object->kind != kind)
            continue;
        highest = i;
        info.used++;
        if (kind == ARAMID_IPCS_SYSV_SHM)
            info.units += (long)((object->size + SYSV_PAGE - 1) / SYSV_PAGE);
        else if (kind == ARAMID_IPCS_SYSV_SEM)
            info.units += object->nsems;
        else {
            info.units += (long)object->qnum;
            info.bytes += (long)object->cbytes;
        }
    }
    memcpy(call->buffer, &info, sizeof(info));
    call->reply_bytes = sizeof(info);
    return highest;
}

void ipc_do_sysv_ctl(struct ipc_call *call, const struct aramid_ipcs_sysv_ctl_request *request,
                     struct aramid_ipcs_sysv_ctl_reply *reply)
{
    int listing = sysv_listing_command(request->kind, request->command);
    if (listing == 2 && request->kind >= ARAMID_IPCS_SYSV_SHM &&
        request->kind <= ARAMID_IPCS_SYSV_MSG) {
        reply->result = sysv_info(call, (int)request->kind);
        return;
    }
    if (listing == 1) {
        /* By index: the object of the kind there, whatever its sequence number. */
        const struct sysv_object *at = request->id >= 0 && request->id < SYSV_SLOTS
                                           ? sysv_slots[request->id]
                                           : NULL;
        if (at == NULL || at->kind != request->kind) {
            reply->result = -ARAMID_EINVAL;
            return;
        }
        sysv_stat(at, call->buffer);
        call->reply_bytes = sizeof(struct aramid_ipcs_sysv_stat);
        reply->result = sysv_id(at);
        return;
    }
    struct sysv_object *object = sysv_find((int)request->kind, request->id);
    if (object == NULL) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    switch (request->command) {
    case SYSV_IPC_STAT:
        sysv_stat(object, call->buffer);
        call->reply_bytes = sizeof(struct aramid_ipcs_sysv_stat);
        reply->result = 0;
        return;
    case SYSV_IPC_SET: {
        if (call->request_bytes != sizeof(struct aramid_ipcs_sysv_stat)) {
            reply->result = -ARAMID_EINVAL;
            return;
        }
        struct aramid_ipcs_sysv_stat wanted;
        memcpy(&wanted, call->buffer, sizeof(wanted));
        object->mode = (unsigned long)wanted.mode & 0777;
        if (object->kind == ARAMID_IPCS_SYSV_MSG) {
            if (wanted.size <= 0 || wanted.size > SYSV_MSGMNB) {
                reply->result = wanted.size <= 0 ? -ARAMID_EINVAL : -ARAMID_EPERM;
                return;
            }
            object->qbytes = (unsigned long)wanted.size;
            sysv_msg_update(object);
        }
        object->change_time = sysv_now();
        reply->result = 0;
        return;
    }
    case SYSV_IPC_RMID:
        sysv_remove(object);
        reply->result = 0;
        return;
    default:
        reply->result = object->kind == ARAMID_IPCS_SYSV_SEM
                            ? sysv_sem_control(call, object, request)
                            : -ARAMID_EINVAL;
    }
}

/* --- processes --- */

bool ipc_sysv_cancel(unsigned long token)
{
    for (unsigned i = 0; i < sysv_slot_end; i++) {
        struct sysv_object *object = sysv_slots[i];
        if (object == NULL)
            continue;
        for (struct sysv_pending **link = &object->pending; *link != NULL; link = &(*link)->next) {
            struct sysv_pending *pending = *link;
            if (pending->token != token)
                continue;
            *link = pending->next;
            bool timed_out = pending->deadline != 0 && object->kind == ARAMID_IPCS_SYSV_SEM &&
                             aramid_clock_monotonic_ns() >= pending->deadline;
            (void)aramid_server_answer(token, timed_out ? -ARAMID_EAGAIN : -ARAMID_EINTR, NULL, 0, 0, 0);
            sysv_pending_free(pending);
            return true;
        }
    }
    return false;
}

void ipc_sysv_fork(unsigned long parent, unsigned long child)
{
    for (unsigned i = 0; i < sysv_slot_end; i++) {
        struct sysv_object *object = sysv_slots[i];
        if (object == NULL || object->kind != ARAMID_IPCS_SYSV_SHM)
            continue;
        struct sysv_process *from = sysv_process_of(object, parent, false);
        if (from == NULL || from->attached == 0)
            continue;
        struct sysv_process *to = sysv_process_of(object, child, true);
        if (to != NULL) {
            to->attached += from->attached;
            object->attached += from->attached;
        }
    }
}

void ipc_sysv_process_gone(unsigned long process, bool exited)
{
    for (unsigned i = 0; i < sysv_slot_end; i++) {
        struct sysv_object *object = sysv_slots[i];
        if (object == NULL)
            continue;
        /* Kept calls of a gone process go nowhere. */
        for (struct sysv_pending **link = &object->pending; *link != NULL;) {
            struct sysv_pending *pending = *link;
            if (pending->sender == process) {
                *link = pending->next;
                sysv_pending_free(pending);
            } else {
                link = &pending->next;
            }
        }
        struct sysv_process *entry = sysv_process_of(object, process, false);
        if (entry == NULL)
            continue;
        if (object->kind == ARAMID_IPCS_SYSV_SHM && entry->attached > 0) {
            /* Every attachment goes at once: the last detach may destroy the object. */
            object->attached -= entry->attached - 1;
            entry->attached = 1;
            sysv_shm_detach(object, entry);
        } else if (object->kind == ARAMID_IPCS_SYSV_SEM && exited) {
            /* SEM_UNDO: what the process's undoable operations did is taken back. */
            for (unsigned n = 0; n < object->nsems; n++)
                if (entry->undo[n] != 0)
                    object->values[n] = sysv_sem_undo(object->values[n], entry->undo[n]);
            struct sysv_process **link = &object->processes;
            while (*link != entry)
                link = &(*link)->next;
            *link = entry->next;
            sysv_process_free(object, entry);
            sysv_sem_update(object);
        }
    }
}
