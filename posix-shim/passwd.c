/* posix-shim's user and group database: one user, root (uid 0, group 0, home /, shell /bin/sh),
 * and one group, root, built in (there is no /etc/passwd to read). Lookups of anything else find
 * nothing (NULL, errno unchanged, as glibc does for an unknown name); the _r forms return 0 with
 * *result NULL, or ERANGE when the caller's buffer is too small. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>

static char passwd_root_name[] = "root";
static char passwd_no_password[] = "x";
static char passwd_home[] = "/";
static char passwd_shell[] = "/bin/sh";
static char *passwd_no_members[] = {NULL};

static struct passwd passwd_root;
static struct group passwd_root_group;

/* Fills the static entries afresh, so a caller that wrote over the last result sees the truth. */
static struct passwd *passwd_entry(void)
{
    passwd_root = (struct passwd){
        .pw_name = passwd_root_name,
        .pw_passwd = passwd_no_password,
        .pw_uid = 0,
        .pw_gid = 0,
        .pw_comment = passwd_root_name,
        .pw_gecos = passwd_root_name,
        .pw_dir = passwd_home,
        .pw_shell = passwd_shell,
    };
    return &passwd_root;
}

static struct group *passwd_group_entry(void)
{
    passwd_no_members[0] = NULL;
    passwd_root_group = (struct group){
        .gr_name = passwd_root_name,
        .gr_passwd = passwd_no_password,
        .gr_gid = 0,
        .gr_mem = passwd_no_members,
    };
    return &passwd_root_group;
}

struct passwd *getpwnam(const char *name)
{
    return name != NULL && strcmp(name, passwd_root_name) == 0 ? passwd_entry() : NULL;
}

struct passwd *getpwuid(uid_t uid)
{
    return uid == 0 ? passwd_entry() : NULL;
}

struct group *getgrnam(const char *name)
{
    return name != NULL && strcmp(name, passwd_root_name) == 0 ? passwd_group_entry() : NULL;
}

struct group *getgrgid(gid_t gid)
{
    return gid == 0 ? passwd_group_entry() : NULL;
}

/* Copies text into the caller's buffer at *used; NULL when it does not fit. */
static char *passwd_copy(const char *text, char *buffer, size_t size, size_t *used)
{
    size_t length = strlen(text) + 1;
    if (length > size - *used)
        return NULL;
    char *copy = buffer + *used;
    memcpy(copy, text, length);
    *used += length;
    return copy;
}

/* The reentrant lookup: the entry with its strings in buffer. */
static int passwd_fill_r(struct passwd *found, struct passwd *entry, char *buffer, size_t size,
                         struct passwd **result)
{
    size_t used = 0;
    *result = NULL;
    if (found == NULL)
        return 0;
    *entry = *found;
    if ((entry->pw_name = passwd_copy(found->pw_name, buffer, size, &used)) == NULL ||
        (entry->pw_passwd = passwd_copy(found->pw_passwd, buffer, size, &used)) == NULL ||
        (entry->pw_gecos = passwd_copy(found->pw_gecos, buffer, size, &used)) == NULL ||
        (entry->pw_dir = passwd_copy(found->pw_dir, buffer, size, &used)) == NULL ||
        (entry->pw_shell = passwd_copy(found->pw_shell, buffer, size, &used)) == NULL)
        return ERANGE;
    entry->pw_comment = entry->pw_gecos;
    *result = entry;
    return 0;
}

int getpwnam_r(const char *name, struct passwd *entry, char *buffer, size_t size,
               struct passwd **result)
{
    return passwd_fill_r(getpwnam(name), entry, buffer, size, result);
}

int getpwuid_r(uid_t uid, struct passwd *entry, char *buffer, size_t size, struct passwd **result)
{
    return passwd_fill_r(getpwuid(uid), entry, buffer, size, result);
}

/* Enumeration: root, then the end. */
static int passwd_next_user;
static int passwd_next_group;

void setpwent(void)
{
    passwd_next_user = 0;
}

void endpwent(void)
{
    passwd_next_user = 0;
}

struct passwd *getpwent(void)
{
    return passwd_next_user++ == 0 ? passwd_entry() : NULL;
}

void setgrent(void)
{
    passwd_next_group = 0;
}

void endgrent(void)
{
    passwd_next_group = 0;
}

struct group *getgrent(void)
{
    return passwd_next_group++ == 0 ? passwd_group_entry() : NULL;
}
