/* Readiness shared by every server that owns pollable objects (event, sock, later vfs): the
 * poll/epoll bits (Linux's values) and the watch rule by which readiness flows to the event server. */
#ifndef ARAMID_PROTO_READY_H
#define ARAMID_PROTO_READY_H

/* poll(2) and epoll(7) readiness bits: the same values on Linux for both. */
#define ARAMID_POLLIN 0x001
#define ARAMID_POLLPRI 0x002
#define ARAMID_POLLOUT 0x004
#define ARAMID_POLLERR 0x008
#define ARAMID_POLLHUP 0x010
#define ARAMID_POLLNVAL 0x020
#define ARAMID_POLLRDNORM 0x040
#define ARAMID_POLLRDBAND 0x080
#define ARAMID_POLLWRNORM 0x100
#define ARAMID_POLLWRBAND 0x200
#define ARAMID_POLLRDHUP 0x2000
/* Bits that are always reported whether asked for or not. */
#define ARAMID_POLL_ALWAYS (ARAMID_POLLERR | ARAMID_POLLHUP)

/*
 * The watch rule. An owner server (sock, vfs) accepts, on an object's badged handle, a
 * `watch` call granting a notification (signal right); it keeps it with the object and
 * signals ARAMID_READY_CHANGED on it each time the object's readiness changes, and
 * ARAMID_READY_GONE when the object (its last open file description) goes away, after which it
 * closes the notification. The watcher then asks `poll` for the current bits: the bits travel
 * in the reply, never in the notification word, so a stale wake-up costs one call and never
 * reports a wrong state. `unwatch` drops the watch (by the notification's watch id).
 */
#define ARAMID_READY_CHANGED 1ul
#define ARAMID_READY_GONE 2ul

#endif
