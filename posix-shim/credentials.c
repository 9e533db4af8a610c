/* posix-shim credentials beyond the getters in identity.c: setuid and friends and the
 * supplementary groups, for a system with one user (root, uid 0) and one group (gid 0). */
#include <errno.h>
#include <sys/types.h>
#include <unistd.h>

#include "shim.h"

/* Only uid/gid 0 exist. Becoming 0 (what it already is) succeeds; any other id is not valid here,
 * and Linux answers an id it cannot map with EINVAL. (uid_t)-1 means "leave it" for the re*
 * calls. */
static int credentials_check(unsigned id, int may_keep)
{
    if (id == 0 || (may_keep && id == (unsigned)(uid_t)-1))
        return 0;
    return (int)shim_return(-EINVAL);
}

int setuid(uid_t uid)
{
    return credentials_check(uid, 0);
}

int seteuid(uid_t uid)
{
    return credentials_check(uid, 0);
}

int setgid(gid_t gid)
{
    return credentials_check(gid, 0);
}

int setegid(gid_t gid)
{
    return credentials_check(gid, 0);
}

int setreuid(uid_t real, uid_t effective)
{
    if (credentials_check(real, 1) < 0)
        return -1;
    return credentials_check(effective, 1);
}

int setregid(gid_t real, gid_t effective)
{
    if (credentials_check(real, 1) < 0)
        return -1;
    return credentials_check(effective, 1);
}

/* No supplementary groups: the count is 0 whatever the size (Linux: EINVAL for size < 0). */
int getgroups(int size, gid_t list[])
{
    (void)list;
    if (size < 0)
        return (int)shim_return(-EINVAL);
    return 0;
}

/* Supplementary groups: only gid 0 exists, and the list stays empty (getgroups). Setting an
 * empty list or one of root's group succeeds; other ids are EINVAL as above. */
int setgroups(int count, const gid_t *list)
{
    if (count < 0 || count > 65536)
        return (int)shim_return(-EINVAL);
    for (int i = 0; i < count; i++) {
        gid_t gid;
        if (shim_copy_in(&gid, &list[i], sizeof(gid)) < 0)
            return (int)shim_return(-EFAULT);
        if (credentials_check(gid, 0) < 0)
            return -1;
    }
    return 0;
}

int initgroups(const char *user, gid_t group)
{
    (void)user;
    return credentials_check(group, 0);
}
