/* SDK test: posix-shim's user database (/etc/passwd: root, nobody) and credentials. */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Prints "what = result" or "what = -1 errno-text"; errno names are spelled by the caller. */
static void row(const char *what, long result)
{
    if (result < 0)
        printf("%s = -1 %s\n", what, errno == EINVAL ? "EINVAL" : errno == ENOSYS ? "ENOSYS" : "other");
    else
        printf("%s = %ld\n", what, result);
}

int main(void)
{
    struct passwd *user = getpwnam("root");
    if (user == NULL)
        return 1;
    printf("root: %s %s %d %d %s %s\n", user->pw_name, user->pw_passwd, (int)user->pw_uid,
           (int)user->pw_gid, user->pw_dir, user->pw_shell);
    errno = 0;
    printf("getpwnam(nobody) = %s, errno %d\n", getpwnam("nobody") ? "found" : "NULL", errno);
    printf("getpwuid(0) = %s, getpwuid(1000) = %s\n", getpwuid(0) ? getpwuid(0)->pw_name : "NULL",
           getpwuid(1000) ? "found" : "NULL");
    struct group *group = getgrnam("root");
    printf("getgrnam(root) = %d, members %s; getgrgid(5) = %s\n", group ? (int)group->gr_gid : -1,
           group && group->gr_mem[0] == NULL ? "none" : "some", getgrgid(5) ? "found" : "NULL");

    struct passwd entry, *result;
    char buffer[256], small[8];
    int code = getpwuid_r(0, &entry, buffer, sizeof buffer, &result);
    printf("getpwuid_r(0) = %d, %s in the buffer: %s\n", code, result ? result->pw_shell : "NULL",
           result && result->pw_shell >= buffer && result->pw_shell < buffer + sizeof buffer ? "yes" : "no");
    code = getpwuid_r(0, &entry, small, sizeof small, &result);
    printf("getpwuid_r(small) = %s, result %s\n", code == ERANGE ? "ERANGE" : "other", result ? "set" : "NULL");
    code = getpwnam_r("nobody", &entry, buffer, sizeof buffer, &result);
    printf("getpwnam_r(nobody) = %d, result %s\n", code, result ? "set" : "NULL");

    setpwent();
    struct passwd *first = getpwent();
    char first_name[32];
    snprintf(first_name, sizeof first_name, "%s", first ? first->pw_name : "NULL");
    struct passwd *second = getpwent();
    struct passwd *third = getpwent();
    printf("getpwent: %s then %s, then %s\n", first_name, second ? second->pw_name : "NULL",
           third ? "more" : "NULL");
    setpwent();
    printf("after setpwent: %s\n", getpwent() ? "root again" : "NULL");
    endpwent();

    row("setuid(0)", setuid(0));
    row("setuid(1000)", setuid(1000));
    row("setreuid(-1, 0)", setreuid((uid_t)-1, 0));
    row("setreuid(5, -1)", setreuid(5, (uid_t)-1));
    row("setegid(0)", setegid(0));
    row("setegid(7)", setegid(7));
    row("getgroups(0)", getgroups(0, NULL));

    /* The home directory the database names exists (the vfs serves it). */
    row("chdir(home)", chdir(getpwuid(0)->pw_dir));
    DIR *directory = opendir(getpwuid(0)->pw_dir);
    printf("opendir(home) = %s\n", directory ? "DIR" : "NULL");
    if (directory)
        closedir(directory);
    return 0;
}
