/* eventfd under concurrency: two processes adding to one counter while a third takes, and a
 * blocked reader racing a writer; every unit written is read exactly once. */
#include <poll.h>
#include <sys/eventfd.h>

#include "contract.h"

#define ROUNDS 20000

static void writer(int fd)
{
    uint64_t one = 1;
    for (int i = 0; i < ROUNDS; i++)
        if (write(fd, &one, sizeof(one)) != sizeof(one))
            _exit(1);
    _exit(0);
}

int main(void)
{
    contract_start();
    int fd = eventfd(0, EFD_NONBLOCK);
    pid_t a = contract_fork();
    if (a == 0)
        writer(fd);
    pid_t b = contract_fork();
    if (b == 0)
        writer(fd);
    uint64_t total = 0;
    int children = 2;
    while (children > 0 || total < 2 * ROUNDS) {
        uint64_t value;
        if (read(fd, &value, sizeof(value)) == sizeof(value))
            total += value;
        else if (errno != EAGAIN)
            break;
        if (children > 0 && total >= 2 * ROUNDS)
            break;
        if (total >= 2 * ROUNDS)
            break;
    }
    contract_reap("writer a", a);
    contract_reap("writer b", b);
    uint64_t rest = 0;
    if (read(fd, &rest, sizeof(rest)) == sizeof(rest))
        total += rest;
    printf("units read: %llu of %d\n", (unsigned long long)total, 2 * ROUNDS);
    close(fd);

    /* A semaphore eventfd: a blocked reader per unit, units written one by one. */
    int semaphore = eventfd(0, EFD_SEMAPHORE);
    pid_t readers[4];
    for (int i = 0; i < 4; i++) {
        readers[i] = contract_fork();
        if (readers[i] == 0) {
            uint64_t got = 0;
            for (int r = 0; r < 250; r++)
                if (read(semaphore, &got, sizeof(got)) != sizeof(got) || got != 1)
                    _exit(1);
            _exit(0);
        }
    }
    uint64_t one = 1;
    for (int i = 0; i < 1000; i++)
        if (write(semaphore, &one, sizeof(one)) != sizeof(one))
            printf("write failed %s\n", errno_name(errno));
    for (int i = 0; i < 4; i++)
        contract_reap("semaphore reader", readers[i]);
    struct pollfd p = {.fd = semaphore, .events = POLLIN};
    printf("left readable: %d\n", poll(&p, 1, 0));
    close(semaphore);
    return contract_pass();
}
