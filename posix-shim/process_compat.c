/* posix-shim's older process calls, expressed with the current ones: vfork (a fork: POSIX allows
 * it, and copy-on-write makes it cheap) and wait3 (wait4 on any child). */
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t vfork(void)
{
    return fork();
}

pid_t wait3(int *status, int options, struct rusage *usage)
{
    return wait4(-1, status, options, usage);
}
