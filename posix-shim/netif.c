/* Network interface names (<net/if.h>): Aramid has no network interfaces, so every name is
 * unknown (ENODEV, as glibc says for a name no interface has), every index too (ENXIO), and the
 * list is empty. */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>

unsigned int if_nametoindex(const char *name)
{
    (void)name;
    errno = ENODEV;
    return 0;
}

char *if_indextoname(unsigned int index, char *name)
{
    (void)index;
    (void)name;
    errno = ENXIO;
    return NULL;
}

/* An empty list: just the terminating entry (index 0, name NULL). */
struct if_nameindex *if_nameindex(void)
{
    return calloc(1, sizeof(struct if_nameindex));
}

void if_freenameindex(struct if_nameindex *list)
{
    free(list);
}
