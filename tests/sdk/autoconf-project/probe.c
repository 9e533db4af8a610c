/* The autoconf probe: what configure found, then the calls it found, used. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void)
{
    int found = 0;
#if defined(HAVE_POPEN) && defined(HAVE_SYSCONF) && defined(HAVE_GETRLIMIT) && \
    defined(HAVE_POSIX_SPAWN) && defined(HAVE_GETHOSTNAME) && defined(HAVE_WORKING_FORK) && \
    defined(HAVE_LSTAT) && defined(HAVE_SPAWN_H) && SIZEOF_LONG == 8 && SIZEOF_OFF_T == 8
    found = 1;
#endif
    printf("configure found the calls: %s\n", found ? "yes" : "no");
    struct rlimit limit;
    printf("getrlimit: %d, page size %ld\n", getrlimit(RLIMIT_NOFILE, &limit), sysconf(_SC_PAGESIZE));
    char name[64];
    printf("gethostname: %d %s\n", gethostname(name, sizeof name), name);
    return found ? 0 : 1;
}
