/* SDK test: what Aramid keeps for every process and Linux's contract cannot check without
 * renaming the build machine: sethostname seen by gethostname, uname and a child, and a child's
 * sethostname by the parent's uname; gethostname into a bad pointer (EFAULT; glibc would
 * fault); prlimit on another process; init's limits; no network interfaces. */
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *error_name(int error)
{
    return error == EFAULT ? "EFAULT" : error == EPERM ? "EPERM" : error == ESRCH ? "ESRCH"
         : error == EINVAL ? "EINVAL" : error == ENODEV ? "ENODEV" : error == ENXIO ? "ENXIO"
         : error == 0 ? "0" : "other";
}

static void row(const char *what, int result)
{
    printf("%s = %d %s\n", what, result, result < 0 ? error_name(errno) : "");
}

int main(void)
{
    char name[65] = {0};
    row("gethostname", gethostname(name, sizeof name));
    printf("boot name: %s\n", name);
    row("sethostname(box-1)", sethostname("box-1", 5));
    row("gethostname", gethostname(name, sizeof name));
    struct utsname system;
    uname(&system);
    printf("now: %s, uname: %s\n", name, system.nodename);
    volatile uintptr_t bad = 8;
    row("gethostname(bad)", gethostname((char *)bad, 16));
    row("sethostname(64 bytes)",
        sethostname("0123456789012345678901234567890123456789012345678901234567890123", 64));
    row("sethostname(back)", sethostname("aramid", 6));

    /* No network interfaces (Linux would have lo). */
    row("if_nametoindex(lo)", (int)if_nametoindex("lo"));
    char *interface = if_indextoname(1, name);
    printf("if_indextoname(1): %s %s\n", interface ? "name" : "NULL", error_name(errno));
    struct if_nameindex *list = if_nameindex();
    printf("if_nameindex: %s\n", list != NULL && list[0].if_index == 0 ? "empty" : "other");
    if_freenameindex(list);

    int ready[2];
    if (pipe(ready) != 0)
        return 1;
    pid_t child = fork();
    if (child == 0) {
        char byte;
        close(ready[1]);
        (void)read(ready[0], &byte, 1); /* the parent has set our limit */
        struct rlimit limit;
        getrlimit(RLIMIT_CORE, &limit);
        gethostname(name, sizeof name);
        printf("child: CORE soft %lu hard %lu, host %s\n", (unsigned long)limit.rlim_cur,
               (unsigned long)limit.rlim_max, name);
        _exit(0);
    }
    close(ready[0]);
    struct rlimit limit = {1000, 2000}, old;
    row("prlimit(child, CORE)", prlimit(child, RLIMIT_CORE, &limit, &old));
    printf("child's old CORE: soft %lu\n", (unsigned long)old.rlim_cur);
    row("prlimit(init, CORE, set)", prlimit(1, RLIMIT_CORE, &limit, NULL));
    row("prlimit(init, CORE, get)", prlimit(1, RLIMIT_CORE, NULL, &old));
    (void)write(ready[1], "go", 1);
    close(ready[1]);
    int status;
    waitpid(child, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));

    /* Another process renames the host: uname here sees it (its answer was made before). */
    uname(&system);
    pid_t namer = fork();
    if (namer == 0)
        _exit(sethostname("box-2", 5) == 0 ? 0 : 1);
    waitpid(namer, &status, 0);
    uname(&system);
    gethostname(name, sizeof name);
    printf("after a child's sethostname: uname %s, gethostname %s\n", system.nodename, name);
    row("sethostname(back)", sethostname("aramid", 6));
    uname(&system);
    printf("uname: %s\n", system.nodename);
    return 0;
}
