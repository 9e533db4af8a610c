/* posix-shim's older process calls, expressed with the current ones: wait3 (wait4 on any child;
 * vfork is in popen.c). */
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t wait3(int *status, int options, struct rusage *usage)
{
    return wait4(-1, status, options, usage);
}
