/* The event server's internals: objects (eventfds, epoll instances, watched objects of other
 * servers), held calls, and the handlers generated from ARAMID_EVENT_MESSAGES. */
#ifndef EVENT_EVENT_H
#define EVENT_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aramid/errno.h>
#include <aramid/heap.h>
#include <aramid/holders.h>
#include <aramid/process_map.h>
#include <aramid/proto/event.h>
#include <aramid/proto/proc.h>
#include <aramid/server.h>
#include <aramid/proto/ready.h>
#include <aramid/sys.h>

#include "eventfd_counter.h"
#include "interest.h"

enum event_kind { EVENT_EVENTFD = 1, EVENT_EPOLL, EVENT_FOREIGN };
struct aramid_sock_ring_half;

/* A pass in flight (SCM_RIGHTS): it keeps its object alive until adopted or dropped. */
struct event_pass {
    struct event_pass *next;
    unsigned long token;
};

/* A call the server keeps until it can answer it (MINIX's SUSPEND). */
struct event_pending {
    struct event_pending *next;
    unsigned long token;
    long a, b; /* eventfd: value to write; epoll: maxevents, deadline */
};

/*
 * An object. Invariants: id is unique for the server's lifetime (the badge of its handles);
 * holders are the processes that may still use it (an eventfd or epoll goes when there are
 * none); watched is the interest object epoll items point at. A foreign object is another
 * server's description that some set watches: handle is the granted handle to it, key the
 * notification child the owner signals.
 */
struct event_object {
    unsigned long id;
    unsigned long cookie;
    enum event_kind kind;
    struct aramid_holders holders;
    struct interest_object watched;
    struct eventfd_counter counter; /* EVENT_EVENTFD */
    struct interest_set *set;       /* EVENT_EPOLL */
    struct event_pending *readers, *writers, *waiters;
    aramid_handle_t handle;       /* EVENT_FOREIGN: the owner's object */
    aramid_handle_t notification; /* EVENT_FOREIGN: our child the owner signals */
    unsigned long foreign_id;     /* EVENT_FOREIGN: the owner's id for it */
    unsigned long ready_word;     /* EVENT_FOREIGN: 1 + its readiness word (sock's), 0: none */
    /* EVENT_FOREIGN with a word: its ring's header page (mapped read-only on need), or NULL. */
    const struct aramid_sock_ring_half *ring_header;
    /* The fast-path page (aramid_event_shared): the mapped memory object, or local when none
     * could be made. For an eventfd, shared->value is the counter (counter.semaphore its
     * mode); set_foreign counts an epoll set's items on other servers' objects. */
    struct aramid_event_shared *shared;
    struct aramid_event_shared local;
    aramid_handle_t shared_object;
    unsigned long set_foreign;
    /* EVENT_EPOLL: items on other epoll sets (never less than there are: a nested set that
     * goes leaves it as it was). Such a set takes no fast path (ready, foreign, snapshot):
     * a nested set's news from other servers come by notification, which the server may not
     * have read when a client looks at the page. */
    unsigned long set_nested;
    /* EVENT_EPOLL: on the list of sets whose snapshot must be written again (shared.c), and
     * the snapshot's seqlock count (the server's own copy: it never reads the page's). */
    bool dirty;
    struct event_object *dirty_next;
    unsigned long snapshot_sequence;
    bool snapshot_none; /* the page says "no snapshot" (a foreign set: nothing to rewrite) */
    /* The server's own handles this object costs (its page: 1; a foreign object's handle and
     * notification: 2), charged to the process that made it (objects.c). */
    unsigned long charged_process;
    unsigned charged_handles;
    /* SCM_RIGHTS in flight (pass.c): the object lives while holders or passes remain. */
    struct event_pass *passes;
    unsigned pass_count;
};

/* The call being handled. */
struct event_call {
    struct event_object *object; /* the badge's object, NULL for the plain endpoint */
    unsigned long sender;
    unsigned long token;
    aramid_handle_t granted; /* handle moved with the call (0: none); a handler may take it */
    aramid_handle_t grant;   /* handle to move with the reply (0: none) */
    void *buffer;            /* the IPC buffer: reply bytes go here */
    size_t reply_bytes;
    bool kept; /* the handler kept the call: no reply now */
};

struct event_globals {
    aramid_handle_t endpoint;
    aramid_handle_t space;
    aramid_handle_t proc;
    aramid_handle_t notifications; /* bound parent; children keyed below */
    aramid_handle_t proc_feed;     /* child EVENT_KEY_PROC, granted to proc */
    aramid_handle_t sock;          /* the sock server's endpoint (send; 0: none) */
};
extern struct event_globals event;

#define EVENT_KEY_PROC 1ul
#define EVENT_KEY_OBJECT (1ul << 63) /* | object slot: a foreign object's notification */

/* Handlers: event_do_NAME(call, request, reply) for every message. */
#define EVENT_HANDLER_DECLARE(label, name, request_list, reply_list)                                         \
    void event_do_##name(struct event_call *call,                                                  \
                         const struct aramid_event_##name##_request *request,                      \
                         struct aramid_event_##name##_reply *reply);
ARAMID_EVENT_MESSAGES(EVENT_HANDLER_DECLARE)
#undef EVENT_HANDLER_DECLARE

/* table.c (ARAMID_SERVER_DISPATCH): always 0, the handlers answer or keep through call. */
int event_dispatch(struct event_call *call, unsigned label,
                   const unsigned long words[ARAMID_IPC_REGISTERS],
                   unsigned long reply_words[ARAMID_IPC_REGISTERS]);

/* objects.c */
struct event_object *event_object_create(enum event_kind kind, unsigned long sender);
struct event_object *event_object_find(unsigned long id);
/* The object of slot (a foreign object's notification key). */
struct event_object *event_object_slot(unsigned long slot);
unsigned long event_object_slot_of(const struct event_object *object);
unsigned event_object_capacity(void);
/* A minted handle for object (for the reply's grant), or -errno. */
long event_object_mint(struct event_object *object);
/* A creation's answer: the reply grants a minted handle (mint) and names the object (id,
 * cookie), or the object goes and *result is the error. */
void event_object_created(struct event_call *call, struct event_object *object, bool mint,
                          long *result, long *id, long *cookie);
/* Nobody holds object and no pass carries it: it may go. */
bool event_object_unused(const struct event_object *object);
/* Drops sender's hold; destroys the object when nobody holds it. */
void event_object_release(struct event_object *object, unsigned long sender);
void event_object_destroy(struct event_object *object);
/* The foreign object with the owner's id, or NULL. */
struct event_object *event_foreign_find(unsigned long foreign_id);
/* proc's feed: fork copies holds, exit and exec drop them. */
void event_objects_feed(void);


/* Handles every pending notification now (main.c). */
void event_notifications_drain(void);

/*
 * The server's handle table has 1,024 slots; each page and each foreign object holds some.
 * Bounds, so that no client can use them all: a process may be charged EVENT_HANDLES_PER_PROCESS,
 * all processes together EVENT_HANDLES_CHARGED (the rest stays for the handles the server mints
 * and grants at once). Past either, an eventfd or epoll set is made without a page (every call
 * goes to the server) and a new foreign object is -ENOMEM for epoll_ctl.
 */
#define EVENT_HANDLES_PER_PROCESS 256u
#define EVENT_HANDLES_CHARGED 768u
/* Charges handles to process for object: false (nothing charged) past a bound. */
bool event_object_charge(struct event_object *object, unsigned long process, unsigned handles);

/* shared.c: the fast-path page of object (made at creation, charged to process; local memory
 * on failure or past the bounds). */
void event_shared_setup(struct event_object *object, unsigned long process);
void event_shared_release(struct event_object *object);
/* The eventfd counter in the page: take (read) and add (write) with Linux's rules,
 * compare-and-swap against clients' fast paths; readiness from it. */
long event_counter_take(struct event_object *object, uint64_t *value);
long event_counter_add(struct event_object *object, uint64_t add);
void event_counter_give_back(struct event_object *object, uint64_t value);
uint32_t event_counter_poll(struct event_object *object);
/* Publishes whether clients must use the server (kept calls, watchers), then the caller
 * re-checks: the set-flag/re-check half of the discipline. */
void event_flags_publish(struct event_object *object);
/* An epoll set's ready and foreign words. */
void event_set_publish(struct event_object *object);
/* The set's snapshot may be stale (interest_set.on_change): it is written again by
 * event_snapshots_publish, which runs before every reply; a set that goes leaves the list. */
void event_set_touched(struct interest_set *set);
void event_snapshots_publish(void);
void event_snapshot_forget(struct event_object *object);

/* eventfd.c: after a change, answers what can be answered and updates watchers. */
void event_eventfd_changed(struct event_object *object, bool event);
/* epoll.c */
/* pass.c: the passes of an object that goes. */
void event_passes_free(struct event_object *object);
/* Answers kept epoll_wait calls whose sets have events now (after every message). */
void event_epoll_service(void);
bool event_epoll_has_waiters(void);
void event_epoll_forget(struct event_object *object);
void event_foreign_notified(struct event_object *object, unsigned long bits);
/* object (any kind) is let go if it is a foreign object no set watches any more (its owner's
 * watch dropped, its handles closed). */
void event_foreign_unused(struct event_object *object);
/* The number of foreign objects (none: no owner can have signalled). */
extern unsigned event_foreigners;
unsigned event_foreign_count(void);
/* ready_words.c: sock's readiness words, mapped read-only on first use. The word of the
 * object with the owner's id foreign_id (1 + its index), 0 when it has none. */
unsigned long event_ready_word_of(unsigned long foreign_id);
/* The readiness in object's word (and its ring's, when its input is only ring bytes): true
 * with *bits and *generation (its low 32 bits), false when it must be asked with ready_poll. */
bool event_ready_word_read(struct event_object *object, uint32_t *bits,
                           unsigned long *generation);
/* object goes: its ring header's mapping too. */
void event_ready_ring_release(struct event_object *object);

/* A cancel notice: the kept call with token, wherever it is, gets its answer. */
void event_cancel(unsigned long token);
void event_pending_cancel_all(struct event_object *object);

#endif
