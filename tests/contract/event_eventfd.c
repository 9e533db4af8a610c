/* eventfd: Linux's counter rules (EFD_SEMAPHORE, EFD_NONBLOCK, overflow, lengths) and its readiness. */
#include <poll.h>
#include <sys/eventfd.h>

#include "contract.h"

static void show_read(const char *what, int fd)
{
    uint64_t value = 0;
    ssize_t got = read(fd, &value, sizeof(value));
    if (got < 0)
        printf("%s = -1 %s\n", what, errno_name(errno));
    else
        printf("%s = %zd value %llu\n", what, got, (unsigned long long)value);
}

static void show_poll(const char *what, int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN | POLLOUT};
    int ready = poll(&p, 1, 0);
    printf("%s: poll = %d in %s out %s\n", what, ready, (p.revents & POLLIN) ? "yes" : "no",
           (p.revents & POLLOUT) ? "yes" : "no");
}

int main(void)
{
    contract_start();
    contract_result("eventfd(0, 0x10)", eventfd(0, 0x10));
    int fd = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
    printf("eventfd opened: %s\n", fd >= 0 ? "yes" : "no");
    show_poll("count 3", fd);
    show_read("read", fd);
    show_read("read of 0 (nonblock)", fd);
    show_poll("count 0", fd);
    uint64_t value = 7;
    contract_result("write(4 bytes)", write(fd, &value, 4));
    char small[4];
    contract_result("read(4 bytes)", read(fd, small, sizeof(small)));
    uint64_t big[2] = {5, 0};
    contract_result("write(16 bytes)", write(fd, big, sizeof(big)));
    show_read("read after a 16-byte write", fd);
    value = UINT64_MAX;
    contract_result("write(2^64-1)", write(fd, &value, sizeof(value)));
    value = UINT64_MAX - 1;
    contract_result("write(2^64-2)", write(fd, &value, sizeof(value)));
    show_poll("count max", fd);
    value = 1;
    contract_result("write(1) over the max (nonblock)", write(fd, &value, sizeof(value)));
    value = 0;
    contract_result("write(0) at the max", write(fd, &value, sizeof(value)));
    show_read("read at the max", fd);
    close(fd);

    int semaphore = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    show_read("semaphore read 1", semaphore);
    show_read("semaphore read 2", semaphore);
    show_read("semaphore read 3", semaphore);
    close(semaphore);

    /* A blocking read waits for a writer: the child writes, the parent's read returns. */
    int blocking = eventfd(0, 0);
    pid_t child = contract_fork();
    if (child == 0) {
        uint64_t one = 42;
        usleep(20000);
        _exit(write(blocking, &one, sizeof(one)) == sizeof(one) ? 0 : 1);
    }
    show_read("blocking read", blocking);
    contract_reap("writer", child);
    eventfd_t got = 0;
    eventfd_write(blocking, 9);
    contract_result("eventfd_read", eventfd_read(blocking, &got));
    printf("eventfd_read value %llu\n", (unsigned long long)got);
    close(blocking);
    contract_result("read(closed)", read(blocking, &got, sizeof(got)));
    return contract_pass();
}
