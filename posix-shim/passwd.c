/* posix-shim's user and group database: /etc/passwd and /etc/group (the rootfs has root and
 * nobody), read at each lookup as glibc's files backend does. Without the files (the root task
 * has no vfs) the database is root alone (uid 0, group 0, home /, shell /bin/sh). Lookups of
 * anything else find nothing (NULL, errno unchanged, as glibc does for an unknown name); the _r
 * forms return 0 with *result NULL, or ERANGE when the caller's buffer is too small. Also the
 * login name (getlogin, cuserid: root) and the login shells (getusershell: /bin/sh). */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PASSWD_LINE_MAX 1024
#define PASSWD_MEMBERS_MAX 64

static const char passwd_builtin_user[] = "root:x:0:0:root:/:/bin/sh";
static const char passwd_builtin_group[] = "root:x:0:";

/* One parsed line: the fields point into line. */
struct passwd_record {
    char line[PASSWD_LINE_MAX];
    struct passwd user;
    struct group group;
    char *members[PASSWD_MEMBERS_MAX + 1];
};

static struct passwd_record passwd_user_record;
static struct passwd_record passwd_group_record;
/* Lookups parse here and copy a match to the result record, so a miss leaves the last result
 * as it was. */
static struct passwd_record passwd_scratch;

/* Copies passwd_scratch into result, moving its pointers along with the line. */
static struct passwd_record *passwd_keep(struct passwd_record *result)
{
    *result = passwd_scratch;
    ptrdiff_t moved = result->line - passwd_scratch.line;
    char **fields[] = {&result->user.pw_name, &result->user.pw_passwd,
                            &result->user.pw_gecos, &result->user.pw_comment,
                            &result->user.pw_dir,  &result->user.pw_shell,
                            &result->group.gr_name, &result->group.gr_passwd};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (*fields[i] != NULL)
            *fields[i] += moved;
    }
    for (size_t i = 0; result->members[i] != NULL; i++)
        result->members[i] += moved;
    result->group.gr_mem = result->members;
    return result;
}

/* Cuts line at the next ':' (or its end): the field, and *line moves past it. */
static char *passwd_field(char **line)
{
    char *field = *line;
    char *end = strchr(field, ':');
    if (end != NULL) {
        *end = '\0';
        *line = end + 1;
    } else {
        *line = field + strlen(field);
    }
    return field;
}

/* name:password:uid:gid:gecos:home:shell. false for a malformed line (skipped). */
static bool passwd_parse_user(struct passwd_record *record)
{
    char *rest = record->line, *end;
    struct passwd *user = &record->user;
    user->pw_name = passwd_field(&rest);
    user->pw_passwd = passwd_field(&rest);
    user->pw_uid = (uid_t)strtoul(passwd_field(&rest), &end, 10);
    user->pw_gid = (gid_t)strtoul(passwd_field(&rest), &end, 10);
    user->pw_gecos = passwd_field(&rest);
    user->pw_comment = user->pw_gecos;
    user->pw_dir = passwd_field(&rest);
    user->pw_shell = passwd_field(&rest);
    return user->pw_name[0] != '\0';
}

/* name:password:gid:member,member,... */
static bool passwd_parse_group(struct passwd_record *record)
{
    char *rest = record->line, *end;
    struct group *group = &record->group;
    group->gr_name = passwd_field(&rest);
    group->gr_passwd = passwd_field(&rest);
    group->gr_gid = (gid_t)strtoul(passwd_field(&rest), &end, 10);
    char *members = passwd_field(&rest);
    size_t count = 0;
    for (char *member = strtok_r(members, ",", &end); member != NULL && count < PASSWD_MEMBERS_MAX;
         member = strtok_r(NULL, ",", &end))
        record->members[count++] = member;
    record->members[count] = NULL;
    group->gr_mem = record->members;
    return group->gr_name[0] != '\0';
}

/* An open database: the file, or (when it cannot be opened) the built-in line once. */
struct passwd_database {
    const char *path;
    const char *builtin;
    FILE *file;
    bool builtin_done;
    bool opened;
};

static struct passwd_database passwd_users = {"/etc/passwd", passwd_builtin_user, NULL, false, false};
static struct passwd_database passwd_groups = {"/etc/group", passwd_builtin_group, NULL, false, false};

static void passwd_rewind(struct passwd_database *database)
{
    if (database->file != NULL)
        fclose(database->file);
    database->file = NULL;
    database->opened = false;
    database->builtin_done = false;
}

/* The next well-formed line into record (parsed by parse); false at the end. */
static bool passwd_next(struct passwd_database *database, struct passwd_record *record,
                        bool (*parse)(struct passwd_record *))
{
    if (!database->opened) {
        int saved = errno; /* a missing file is not an error the caller sees */
        database->file = fopen(database->path, "r");
        errno = saved;
        database->opened = true;
    }
    if (database->file == NULL) {
        if (database->builtin_done)
            return false;
        database->builtin_done = true;
        strcpy(record->line, database->builtin);
        return parse(record);
    }
    while (fgets(record->line, sizeof(record->line), database->file) != NULL) {
        record->line[strcspn(record->line, "\n")] = '\0';
        if (record->line[0] != '#' && parse(record))
            return true;
    }
    return false;
}

/* A lookup: a fresh pass over the database, kept apart from the getpwent enumeration. */
static struct passwd *passwd_find_user(const char *name, uid_t uid)
{
    struct passwd_database pass = {passwd_users.path, passwd_users.builtin, NULL, false, false};
    struct passwd *found = NULL;
    while (found == NULL && passwd_next(&pass, &passwd_scratch, passwd_parse_user)) {
        struct passwd *user = &passwd_scratch.user;
        if (name != NULL ? strcmp(user->pw_name, name) == 0 : user->pw_uid == uid)
            found = &passwd_keep(&passwd_user_record)->user;
    }
    passwd_rewind(&pass);
    return found;
}

static struct group *passwd_find_group(const char *name, gid_t gid)
{
    struct passwd_database pass = {passwd_groups.path, passwd_groups.builtin, NULL, false, false};
    struct group *found = NULL;
    while (found == NULL && passwd_next(&pass, &passwd_scratch, passwd_parse_group)) {
        struct group *group = &passwd_scratch.group;
        if (name != NULL ? strcmp(group->gr_name, name) == 0 : group->gr_gid == gid)
            found = &passwd_keep(&passwd_group_record)->group;
    }
    passwd_rewind(&pass);
    return found;
}

struct passwd *getpwnam(const char *name)
{
    return name != NULL ? passwd_find_user(name, 0) : NULL;
}

struct passwd *getpwuid(uid_t uid)
{
    return passwd_find_user(NULL, uid);
}

struct group *getgrnam(const char *name)
{
    return name != NULL ? passwd_find_group(name, 0) : NULL;
}

struct group *getgrgid(gid_t gid)
{
    return passwd_find_group(NULL, gid);
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

/* Enumeration, one open database each. */
void setpwent(void)
{
    passwd_rewind(&passwd_users);
}

void endpwent(void)
{
    passwd_rewind(&passwd_users);
}

struct passwd *getpwent(void)
{
    return passwd_next(&passwd_users, &passwd_user_record, passwd_parse_user)
               ? &passwd_user_record.user
               : NULL;
}

void setgrent(void)
{
    passwd_rewind(&passwd_groups);
}

void endgrent(void)
{
    passwd_rewind(&passwd_groups);
}

struct group *getgrent(void)
{
    return passwd_next(&passwd_groups, &passwd_group_record, passwd_parse_group)
               ? &passwd_group_record.group
               : NULL;
}

/* The reentrant group lookup: the entry with its strings and member list in buffer. */
static int passwd_group_fill_r(struct group *found, struct group *entry, char *buffer,
                               size_t size, struct group **result)
{
    *result = NULL;
    if (found == NULL)
        return 0;
    size_t members = 0;
    while (found->gr_mem[members] != NULL)
        members++;
    size_t table = (members + 1) * sizeof(char *);
    size_t align = (sizeof(char *) - ((uintptr_t)buffer % sizeof(char *))) % sizeof(char *);
    if (size < align + table)
        return ERANGE;
    char **list = (char **)(void *)(buffer + align);
    size_t used = align + table;
    *entry = *found;
    entry->gr_mem = list;
    if ((entry->gr_name = passwd_copy(found->gr_name, buffer, size, &used)) == NULL ||
        (entry->gr_passwd = passwd_copy(found->gr_passwd, buffer, size, &used)) == NULL)
        return ERANGE;
    for (size_t i = 0; i < members; i++) {
        if ((list[i] = passwd_copy(found->gr_mem[i], buffer, size, &used)) == NULL)
            return ERANGE;
    }
    list[members] = NULL;
    *result = entry;
    return 0;
}

int getgrnam_r(const char *name, struct group *entry, char *buffer, size_t size,
               struct group **result)
{
    return passwd_group_fill_r(getgrnam(name), entry, buffer, size, result);
}

int getgrgid_r(gid_t gid, struct group *entry, char *buffer, size_t size, struct group **result)
{
    return passwd_group_fill_r(getgrgid(gid), entry, buffer, size, result);
}

/* The login name: the one user's. */
char *getlogin(void)
{
    static char name[] = "root";
    return name;
}

char *cuserid(char *buffer)
{
    static char name[L_cuserid];
    struct passwd *user = getpwuid(geteuid());
    char *out = buffer != NULL ? buffer : name;
    if (user == NULL) {
        if (buffer != NULL)
            buffer[0] = '\0';
        return NULL;
    }
    strncpy(out, user->pw_name, L_cuserid - 1);
    out[L_cuserid - 1] = '\0';
    return out;
}

/* The login shells: /etc/shells has none in the rootfs, so glibc's default list, /bin/sh. */
static int passwd_next_shell;

char *getusershell(void)
{
    static char shell[] = "/bin/sh";
    return passwd_next_shell++ == 0 ? shell : NULL;
}

void setusershell(void)
{
    passwd_next_shell = 0;
}

void endusershell(void)
{
    passwd_next_shell = 0;
}
