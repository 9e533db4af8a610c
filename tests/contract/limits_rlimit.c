/* Limits: getrlimit/setrlimit/prlimit errors, NOFILE by dup/open, NPROC by fork, AS by malloc,
 * STACK for a new image, all inherited across fork and execve. */
#include <fcntl.h>
#include <sys/resource.h>

#include "contract.h"

static struct rlimit limit_of(int resource)
{
    struct rlimit limit = {0, 0};
    if (getrlimit(resource, &limit) != 0)
        printf("getrlimit(%d): %s\n", resource, errno_name(errno));
    return limit;
}

static void show(const char *what, int resource)
{
    struct rlimit limit = limit_of(resource);
    printf("%s: soft %lu hard %lu\n", what, (unsigned long)limit.rlim_cur,
           (unsigned long)limit.rlim_max);
}

/* Recursion with half a KiB of stack a level, touching each: depth * 512 bytes in all. */
static int deep(int depth)
{
    volatile char frame[512];
    frame[0] = (char)depth;
    frame[511] = (char)depth;
    if (depth == 0)
        return frame[0];
    return deep(depth - 1) + frame[511];
}

/* The second image: what it inherited. */
static int second_image(const char *mode)
{
    if (strcmp(mode, "nofile") == 0) {
        show("execve: NOFILE", RLIMIT_NOFILE);
        R(dup2(0, 12));
    } else if (strcmp(mode, "as") == 0) {
        void *big = malloc(128u << 20);
        printf("execve: malloc 128 MiB under AS 64 MiB: %s\n", big == NULL ? "NULL" : "memory");
    } else if (strcmp(mode, "stack") == 0) {
        /* The soft limit only: the hard one is whatever the Linux side inherited. */
        printf("execve: STACK soft %lu\n", (unsigned long)limit_of(RLIMIT_STACK).rlim_cur);
        printf("execve: recursed %d\n", deep(4096) != -1); /* 2 MiB of stack */
    }
    return 0;
}

static void run_image(const char *mode)
{
    const char *self = getenv("CONTRACT_SELF");
    pid_t child = contract_fork();
    if (child == 0) {
        execl(self != NULL ? self : "", "limits_rlimit", mode, (char *)NULL);
        printf("execve failed: %s\n", errno_name(errno));
        _exit(1);
    }
    contract_reap(mode, child);
}

static void errors(void)
{
    struct rlimit limit = {10, 5};
    void *bad = contract_address(8);
    R(getrlimit(16, &limit));
    R(getrlimit(-1, &limit));
    R(setrlimit(RLIMIT_NOFILE, &limit)); /* soft > hard */
    R(getrlimit(RLIMIT_NOFILE, bad));
    R(setrlimit(RLIMIT_NOFILE, bad));
    R(prlimit(0, RLIMIT_NOFILE, bad, NULL));
    R(prlimit(0, RLIMIT_NOFILE, NULL, bad));
    R(getrlimit(16, bad)); /* the resource is checked first */
    R(setrlimit(16, bad)); /* the new limit is read first */
    R(prlimit(-5, RLIMIT_NOFILE, NULL, &limit));
    R(prlimit(0x3fffffff, RLIMIT_NOFILE, NULL, &limit));
    limit.rlim_cur = 10;
    limit.rlim_max = 1ul << 21; /* above Linux's nr_open: even root may not */
    R(setrlimit(RLIMIT_NOFILE, &limit));
    R(getrlimit(RLIMIT_NOFILE, contract_address(0)));
    R(setrlimit(RLIMIT_NOFILE, contract_address(0)));
}

static void nofile(void)
{
    struct rlimit limit = {10, 64};
    R(setrlimit(RLIMIT_NOFILE, &limit));
    show("NOFILE", RLIMIT_NOFILE);
    int last = -1, fd;
    while ((fd = dup(0)) >= 0)
        last = fd;
    printf("dup until %s; last below the limit: %s\n", errno_name(errno), last <= 9 ? "yes" : "no");
    R(open("/dev/null", O_RDONLY));
    R(dup2(0, 10));
    R(dup2(0, 9));
    R(fcntl(0, F_DUPFD, 10));
    R(fcntl(0, F_DUPFD, 9));
    pid_t child = contract_fork();
    if (child == 0) {
        show("fork child: NOFILE", RLIMIT_NOFILE);
        printf("fork child: dup = %d %s\n", dup(0), errno_name(errno));
        _exit(0);
    }
    contract_reap("nofile child", child);
    for (fd = 3; fd <= 9; fd++)
        close(fd);
    limit.rlim_cur = 12;
    R(setrlimit(RLIMIT_NOFILE, &limit));
    R(dup2(0, 11));
    R(close(11));
    run_image("nofile");
    limit.rlim_cur = 64;
    R(setrlimit(RLIMIT_NOFILE, &limit));
    R(dup2(0, 50));
    R(close(50));
}

static void nproc(void)
{
    pid_t child = contract_fork();
    if (child == 0) {
        /* Linux lets root (the contract's Linux side) fork past RLIMIT_NPROC: drop to nobody
         * first. Aramid has one user and enforces the limit on it (setuid fails there). */
        if (setuid(65534) != 0 && errno != EINVAL)
            printf("setuid: %s\n", errno_name(errno));
        struct rlimit limit = limit_of(RLIMIT_NPROC);
        rlim_t hard = limit.rlim_max;
        limit.rlim_cur = 1;
        R(setrlimit(RLIMIT_NPROC, &limit));
        pid_t grandchild = fork();
        printf("fork under NPROC 1 = %d %s\n", grandchild < 0 ? -1 : 0, errno_name(errno));
        if (grandchild == 0)
            _exit(0);
        limit.rlim_cur = hard;
        R(setrlimit(RLIMIT_NPROC, &limit));
        grandchild = contract_fork();
        if (grandchild == 0)
            _exit(7);
        contract_reap("fork under NPROC hard", grandchild);
        _exit(0);
    }
    contract_reap("nproc child", child);
}

static void address_space(void)
{
    pid_t child = contract_fork();
    if (child == 0) {
        struct rlimit limit = {64u << 20, 64u << 20};
        R(setrlimit(RLIMIT_AS, &limit));
        void *big = malloc(128u << 20);
        printf("malloc 128 MiB under AS 64 MiB: %s\n", big == NULL ? "NULL" : "memory");
        void *small = malloc(1u << 20);
        printf("malloc 1 MiB under AS 64 MiB: %s\n", small == NULL ? "NULL" : "memory");
        pid_t grandchild = contract_fork();
        if (grandchild == 0) {
            big = malloc(128u << 20);
            printf("fork child: malloc 128 MiB: %s\n", big == NULL ? "NULL" : "memory");
            _exit(0);
        }
        contract_reap("as grandchild", grandchild);
        run_image("as");
        _exit(0);
    }
    contract_reap("as child", child);
}

static void stack_and_others(void)
{
    struct rlimit saved = limit_of(RLIMIT_STACK);
    struct rlimit limit = {256u << 10, saved.rlim_max};
    R(setrlimit(RLIMIT_STACK, &limit));
    run_image("stack"); /* 2 MiB of recursion on a 256 KiB stack */
    limit.rlim_cur = 8u << 20;
    R(setrlimit(RLIMIT_STACK, &limit));
    run_image("stack");
    limit.rlim_cur = 0;
    limit.rlim_max = 0;
    R(setrlimit(RLIMIT_CORE, &limit));
    show("CORE", RLIMIT_CORE);
    limit.rlim_cur = 100;
    limit.rlim_max = RLIM_INFINITY;
    R(setrlimit(RLIMIT_CPU, &limit));
    show("CPU", RLIMIT_CPU);
    limit.rlim_cur = 1u << 20;
    limit.rlim_max = 2u << 20;
    R(prlimit(getpid(), RLIMIT_DATA, &limit, NULL));
    struct rlimit old;
    R(prlimit(0, RLIMIT_DATA, NULL, &old));
    printf("DATA by prlimit: soft %lu hard %lu\n", (unsigned long)old.rlim_cur,
           (unsigned long)old.rlim_max);
}

int main(int argc, char **argv)
{
    contract_start();
    if (argc == 2)
        return second_image(argv[1]);
    errors();
    nofile();
    nproc();
    address_space();
    stack_and_others();
    return contract_pass();
}
