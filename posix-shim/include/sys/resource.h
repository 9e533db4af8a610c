/* posix-shim's <sys/resource.h> in place of newlib's: Linux's struct rusage and RUSAGE_*
 * values, getrusage, getpriority/setpriority (Linux values). */
#ifndef POSIX_SHIM_SYS_RESOURCE_H
#define POSIX_SHIM_SYS_RESOURCE_H
#define _SYS_RESOURCE_H_ /* newlib's own, never to be included after this one */

#include <sys/time.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

/* Linux's layout. Only ru_utime and ru_stime are measured; the rest is 0 (docs/status.md). */
struct rusage {
    struct timeval ru_utime; /* user time used */
    struct timeval ru_stime; /* system time used */
    long ru_maxrss;
    long ru_ixrss;
    long ru_idrss;
    long ru_isrss;
    long ru_minflt;
    long ru_majflt;
    long ru_nswap;
    long ru_inblock;
    long ru_oublock;
    long ru_msgsnd;
    long ru_msgrcv;
    long ru_nsignals;
    long ru_nvcsw;
    long ru_nivcsw;
};

int getrusage(int who, struct rusage *usage);

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2
#define PRIO_MIN (-20)
#define PRIO_MAX 20

int getpriority(int which, id_t who);
int setpriority(int which, id_t who, int priority);

#ifdef __cplusplus
}
#endif

#endif
