/* posix-shim overlay of newlib's <sys/wait.h>: adds waitid and its idtype_t and flags, wait4,
 * wait3 and WIFCONTINUED (Linux values). */
#ifndef POSIX_SHIM_SYS_WAIT_H
#define POSIX_SHIM_SYS_WAIT_H

#include_next <sys/wait.h>
#include <signal.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3 } idtype_t;

#define WSTOPPED 2
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x01000000
/* A continued child's status (WCONTINUED), as Linux's. */
#ifndef WIFCONTINUED
#define WIFCONTINUED(w) ((w) == 0xffff)
#endif

struct rusage;

int waitid(idtype_t type, id_t id, siginfo_t *info, int options);
pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage);
pid_t wait3(int *status, int options, struct rusage *usage);

#ifdef __cplusplus
}
#endif

#endif
