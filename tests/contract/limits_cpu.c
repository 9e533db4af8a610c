/* RLIMIT_CPU: SIGXCPU at the soft limit (its default action ends the process, or a handler
 * runs), SIGKILL at the hard limit; inherited across fork and execve. */
#include <sys/resource.h>
#include <time.h>

#include "contract.h"

/* CPU time used by this process, in seconds. */
static double cpu_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* Burns CPU time until limit seconds are used (the limits should end it first). */
static void spin(double limit)
{
    volatile unsigned long counter = 0;
    while (cpu_seconds() < limit)
        counter++;
}

static volatile sig_atomic_t caught;

static void on_xcpu(int signal)
{
    (void)signal;
    if (caught++ == 0) {
        static const char text[] = "SIGXCPU caught\n";
        (void)write(1, text, sizeof(text) - 1);
    }
}

static void limited_child(const char *what, rlim_t soft, rlim_t hard, int handle, int exec)
{
    pid_t child = contract_fork();
    if (child == 0) {
        struct rlimit limit = {soft, hard};
        if (setrlimit(RLIMIT_CPU, &limit) != 0)
            printf("setrlimit: %s\n", errno_name(errno));
        if (handle)
            signal(SIGXCPU, on_xcpu);
        if (exec) {
            const char *self = getenv("CONTRACT_SELF");
            execl(self != NULL ? self : "", "limits_cpu", "spin", (char *)NULL);
            _exit(1);
        }
        spin(10);
        printf("not stopped by the limit\n");
        _exit(0);
    }
    contract_reap(what, child);
}

int main(int argc, char **argv)
{
    contract_start();
    if (argc == 2 && strcmp(argv[1], "spin") == 0) {
        struct rlimit limit;
        getrlimit(RLIMIT_CPU, &limit);
        printf("execve: CPU soft %lu hard %lu\n", (unsigned long)limit.rlim_cur,
               (unsigned long)limit.rlim_max);
        spin(10);
        return 0;
    }
    limited_child("soft 1, default action", 1, RLIM_INFINITY, 0, 0);
    limited_child("soft 1, handled, hard 2", 1, 2, 1, 0);
    limited_child("soft and hard 1, handled", 1, 1, 1, 0);
    limited_child("soft 1 across execve", 1, RLIM_INFINITY, 0, 1);
    struct rlimit limit = {RLIM_INFINITY, RLIM_INFINITY};
    R(getrlimit(RLIMIT_CPU, &limit));
    return contract_pass();
}
