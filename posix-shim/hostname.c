/* gethostname, sethostname and uname's nodename: the one host name proc keeps for every
 * process (its hostname message); getdomainname and gethostid. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"

/* The name as this process last saw it; gethostname and sethostname refresh it, uname reads
 * proc's page (fork children share it) and asks proc only without the page. */
static char hostname_cache[ARAMID_HOSTNAME_MAX + 1] = "aramid";
static bool hostname_cached;
/* proc's host-name page (NULL: none) and the generation of it that hostname_cache holds (odd,
 * which no finished name has: none yet). */
static const volatile struct aramid_proc_host *hostname_page;
static unsigned long hostname_page_generation = 1;
/* Counts the names taken without the page (proc's answers, sethostname). */
static unsigned long hostname_changes;

void hostname_start(const struct aramid_auxv *auxv)
{
    for (; auxv != NULL && auxv->type != ARAMID_AT_NULL; auxv++) {
        if (auxv->type == ARAMID_AT_ARAMID_PROC_IDS && auxv->value != 0)
            hostname_page = (const volatile struct aramid_proc_host *)(auxv->value +
                                                                       ARAMID_PROC_HOST_OFFSET);
    }
}

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
    hostname_changes++;
    return 0;
}

/* Brings hostname_cache to the page's name: false when proc was changing it (ask proc). */
static bool hostname_page_read(void)
{
    unsigned long before = __atomic_load_n(&hostname_page->generation, __ATOMIC_ACQUIRE);
    if (before == hostname_page_generation)
        return true;
    if (before & 1)
        return false;
    unsigned long length = hostname_page->length;
    if (length > ARAMID_HOSTNAME_MAX)
        return false;
    for (unsigned long i = 0; i < length; i++)
        hostname_cache[i] = hostname_page->name[i];
    hostname_cache[length] = '\0';
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (__atomic_load_n(&hostname_page->generation, __ATOMIC_RELAXED) != before) {
        hostname_page_generation = 1; /* the cache holds a torn copy */
        return false;
    }
    hostname_page_generation = before;
    return true;
}

const char *hostname_current(unsigned long *generation)
{
    if (hostname_page != NULL && hostname_page_read()) {
        *generation = hostname_page_generation;
        return hostname_cache;
    }
    if (!hostname_cached || hostname_page != NULL)
        (void)hostname_fetch(); /* on failure the last name it knew */
    *generation = hostname_changes * 2 + 1; /* odd: never a page's */
    return hostname_cache;
}

/* As glibc: the name, cut to length bytes, and ENAMETOOLONG when it (and its NUL) did not fit. */
int gethostname(char *name, size_t length)
{
    long result = hostname_page != NULL ? 0 : hostname_fetch();
    if (result < 0)
        return (int)shim_return(result);
    unsigned long generation;
    const char *current = hostname_current(&generation);
    size_t needed = strlen(current) + 1;
    if (shim_copy_out(name, current, length < needed ? length : needed) < 0)
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
    hostname_changes++;
    hostname_page_generation = 1; /* the page has the new name: read it again */
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
