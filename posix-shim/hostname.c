/* gethostname, sethostname and uname's nodename: the one host name proc keeps for every
 * process (its hostname message); getdomainname and gethostid. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

/* The name as this process last saw it: uname answers from here without asking proc (a
 * fork child keeps it); gethostname and sethostname refresh it. */
static char hostname_cache[ARAMID_HOSTNAME_MAX + 1] = "aramid";
static bool hostname_cached;

/* Asks proc for the name into hostname_cache; the root task (no proc) keeps "aramid". */
static long hostname_fetch(void)
{
    if (!shim_started_by_proc)
        return 0;
    struct aramid_proc_hostname_request request = {.set = 0};
    struct aramid_proc_hostname_reply reply;
    long result = shim_error_from_sys(aramid_proc_call_hostname(&request, 0, &reply));
    if (result < 0)
        return result;
    size_t length = (size_t)result <= ARAMID_HOSTNAME_MAX ? (size_t)result : ARAMID_HOSTNAME_MAX;
    memcpy(hostname_cache, (const void *)sys_ipc_buffer(), length);
    hostname_cache[length] = '\0';
    hostname_cached = true;
    return 0;
}

const char *hostname_current(void)
{
    if (!hostname_cached)
        (void)hostname_fetch(); /* on failure the last name it knew */
    return hostname_cache;
}

/* As glibc: the name, cut to length bytes, and ENAMETOOLONG when it (and its NUL) did not fit. */
int gethostname(char *name, size_t length)
{
    long result = hostname_fetch();
    if (result < 0)
        return (int)shim_return(result);
    size_t needed = strlen(hostname_cache) + 1;
    if (shim_copy_out(name, hostname_cache, length < needed ? length : needed) < 0)
        return (int)shim_return(-EFAULT);
    return needed > length ? (int)shim_return(-ENAMETOOLONG) : 0;
}

/* As Linux: EINVAL beyond HOST_NAME_MAX bytes, EFAULT for a bad name. */
int sethostname(const char *name, size_t length)
{
    char copy[ARAMID_HOSTNAME_MAX];
    if (length > ARAMID_HOSTNAME_MAX)
        return (int)shim_return(-EINVAL);
    if (shim_copy_in(copy, name, length) < 0)
        return (int)shim_return(-EFAULT);
    if (!shim_started_by_proc)
        return (int)shim_return(-ENOSYS);
    long buffer = sys_ipc_buffer();
    if (buffer <= 0)
        return (int)shim_return(-EFAULT);
    memcpy((void *)buffer, copy, length);
    struct aramid_proc_hostname_request request = {.set = 1};
    struct aramid_proc_hostname_reply reply;
    long result = shim_error_from_sys(aramid_proc_call_hostname(&request, length, &reply));
    if (result < 0)
        return (int)shim_return(result);
    memcpy(hostname_cache, copy, length);
    hostname_cache[length] = '\0';
    hostname_cached = true;
    return 0;
}

/* The NIS domain: none, as uname's domainname says. */
int getdomainname(char *name, size_t length)
{
    static const char none[] = "(none)";
    if (shim_copy_out(name, none, length < sizeof(none) ? length : sizeof(none)) < 0)
        return (int)shim_return(-EFAULT);
    return length < sizeof(none) ? (int)shim_return(-EINVAL) : 0;
}

/* glibc derives the host id from the host's address; Aramid has no network: 0. */
long gethostid(void)
{
    return 0;
}
