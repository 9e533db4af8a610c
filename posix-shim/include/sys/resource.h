/* posix-shim overlay of newlib's <sys/resource.h>: adds getpriority/setpriority (Linux values). */
#ifndef POSIX_SHIM_SYS_RESOURCE_H
#define POSIX_SHIM_SYS_RESOURCE_H

#include_next <sys/resource.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

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
