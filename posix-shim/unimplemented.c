/* posix-shim calls whose servers do not exist yet: each returns -1 with errno ENOSYS
 * (docs/status.md). */
#include <errno.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

/* Returns -1 with errno = ENOSYS. */
static int unimplemented(void)
{
    return (int)shim_return(-ENOSYS);
}

/* ---- event server: poll, epoll, eventfd ---- */

int poll(struct pollfd *fds, nfds_t count, int timeout_ms)
{
    (void)fds;
    (void)count;
    (void)timeout_ms;
    return unimplemented();
}

int epoll_create(int size)
{
    (void)size;
    return unimplemented();
}

int epoll_create1(int flags)
{
    (void)flags;
    return unimplemented();
}

int epoll_ctl(int epoll_fd, int operation, int fd, struct epoll_event *event)
{
    (void)epoll_fd;
    (void)operation;
    (void)fd;
    (void)event;
    return unimplemented();
}

int epoll_wait(int epoll_fd, struct epoll_event *events, int max_events, int timeout_ms)
{
    (void)epoll_fd;
    (void)events;
    (void)max_events;
    (void)timeout_ms;
    return unimplemented();
}

int eventfd(unsigned int initial_value, int flags)
{
    (void)initial_value;
    (void)flags;
    return unimplemented();
}

/* ---- socket server ---- */

int socket(int domain, int type, int protocol)
{
    (void)domain;
    (void)type;
    (void)protocol;
    return unimplemented();
}

int socketpair(int domain, int type, int protocol, int fds[2])
{
    (void)domain;
    (void)type;
    (void)protocol;
    (void)fds;
    return unimplemented();
}

int bind(int fd, const struct sockaddr *address, socklen_t length)
{
    (void)fd;
    (void)address;
    (void)length;
    return unimplemented();
}

int connect(int fd, const struct sockaddr *address, socklen_t length)
{
    (void)fd;
    (void)address;
    (void)length;
    return unimplemented();
}

int listen(int fd, int backlog)
{
    (void)fd;
    (void)backlog;
    return unimplemented();
}

int accept(int fd, struct sockaddr *address, socklen_t *length)
{
    (void)fd;
    (void)address;
    (void)length;
    return unimplemented();
}

int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags)
{
    (void)fd;
    (void)address;
    (void)length;
    (void)flags;
    return unimplemented();
}

int shutdown(int fd, int how)
{
    (void)fd;
    (void)how;
    return unimplemented();
}

ssize_t send(int fd, const void *buffer, size_t length, int flags)
{
    (void)fd;
    (void)buffer;
    (void)length;
    (void)flags;
    return unimplemented();
}

ssize_t recv(int fd, void *buffer, size_t length, int flags)
{
    (void)fd;
    (void)buffer;
    (void)length;
    (void)flags;
    return unimplemented();
}

ssize_t sendto(int fd, const void *buffer, size_t length, int flags, const struct sockaddr *address,
               socklen_t address_length)
{
    (void)fd;
    (void)buffer;
    (void)length;
    (void)flags;
    (void)address;
    (void)address_length;
    return unimplemented();
}

ssize_t recvfrom(int fd, void *buffer, size_t length, int flags, struct sockaddr *address,
                 socklen_t *address_length)
{
    (void)fd;
    (void)buffer;
    (void)length;
    (void)flags;
    (void)address;
    (void)address_length;
    return unimplemented();
}

ssize_t sendmsg(int fd, const struct msghdr *message, int flags)
{
    (void)fd;
    (void)message;
    (void)flags;
    return unimplemented();
}

ssize_t recvmsg(int fd, struct msghdr *message, int flags)
{
    (void)fd;
    (void)message;
    (void)flags;
    return unimplemented();
}

int getsockopt(int fd, int level, int name, void *value, socklen_t *length)
{
    (void)fd;
    (void)level;
    (void)name;
    (void)value;
    (void)length;
    return unimplemented();
}

int setsockopt(int fd, int level, int name, const void *value, socklen_t length)
{
    (void)fd;
    (void)level;
    (void)name;
    (void)value;
    (void)length;
    return unimplemented();
}

int getsockname(int fd, struct sockaddr *address, socklen_t *length)
{
    (void)fd;
    (void)address;
    (void)length;
    return unimplemented();
}

int getpeername(int fd, struct sockaddr *address, socklen_t *length)
{
    (void)fd;
    (void)address;
    (void)length;
    return unimplemented();
}

/* ---- process server: priorities, power ---- */

int setpriority(int which, id_t who, int priority)
{
    (void)which;
    (void)who;
    (void)priority;
    return unimplemented();
}

/* Setting a clock: the kernel's real time comes from the CMOS clock at boot and cannot be set
 * yet. */
int clock_settime(clockid_t clock, const struct timespec *time)
{
    (void)clock;
    (void)time;
    return unimplemented();
}

/* Process groups and sessions: proc has none yet (every process is in its parent's group). */
int setpgid(pid_t pid, pid_t group)
{
    (void)pid;
    (void)group;
    return unimplemented();
}

pid_t getpgid(pid_t pid)
{
    (void)pid;
    return unimplemented();
}

pid_t getpgrp(void)
{
    return unimplemented();
}

pid_t setsid(void)
{
    return unimplemented();
}

pid_t getsid(pid_t pid)
{
    (void)pid;
    return unimplemented();
}

/* Stopping the machine is the root task's exit today (the kernel stops when it ends). */
int reboot(int command)
{
    (void)command;
    return unimplemented();
}
