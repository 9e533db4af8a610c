/* Contract tests' SCM_RIGHTS helpers: one byte sent with one descriptor, and received. */
#ifndef CONTRACT_SCM_H
#define CONTRACT_SCM_H

#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* A control buffer for one descriptor. */
union contract_scm_control {
    char buffer[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
};

/* Sends one byte with fd attached (fd < 0: none). */
static inline ssize_t contract_send_fd(int channel, char byte, int fd)
{
    struct iovec vector = {&byte, 1};
    union contract_scm_control control;
    memset(&control, 0, sizeof(control));
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1};
    if (fd >= 0) {
        message.msg_control = control.buffer;
        message.msg_controllen = sizeof(control.buffer);
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(header), &fd, sizeof(int));
    }
    return sendmsg(channel, &message, 0);
}

/* Receives up to length bytes into bytes (*got: recvmsg's result); returns the descriptor that
 * came with them, or -1. */
static inline int contract_recv_fd(int channel, char *bytes, size_t length, ssize_t *got)
{
    struct iovec vector = {bytes, length};
    union contract_scm_control control;
    memset(&control, 0, sizeof(control));
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1,
                             .msg_control = control.buffer,
                             .msg_controllen = sizeof(control.buffer)};
    *got = recvmsg(channel, &message, 0);
    int fd = -1;
    struct cmsghdr *header = *got >= 0 ? CMSG_FIRSTHDR(&message) : NULL;
    if (header != NULL && header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS)
        memcpy(&fd, CMSG_DATA(header), sizeof(int));
    return fd;
}

#endif
