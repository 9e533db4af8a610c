/* System information: sysconf and getpagesize values that Linux and Aramid share, pathconf and
 * fpathconf, gethostname and sethostname errors, and the user database's root and nobody. */
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#include "contract.h"

#define SHOW(name) printf(#name " = %ld\n", sysconf(name))

static void system_configuration(void)
{
    SHOW(_SC_PAGESIZE);
    SHOW(_SC_PAGE_SIZE);
    printf("getpagesize() = %d\n", getpagesize());
    SHOW(_SC_CLK_TCK);
    SHOW(_SC_HOST_NAME_MAX);
    SHOW(_SC_LOGIN_NAME_MAX);
    SHOW(_SC_TTY_NAME_MAX);
    SHOW(_SC_IOV_MAX);
    SHOW(_SC_NGROUPS_MAX);
    SHOW(_SC_LINE_MAX);
    SHOW(_SC_VERSION);
    SHOW(_SC_JOB_CONTROL);
    SHOW(_SC_SAVED_IDS);
    SHOW(_SC_THREAD_KEYS_MAX);
    SHOW(_SC_THREAD_STACK_MIN);
    SHOW(_SC_SEM_VALUE_MAX);
    SHOW(_SC_GETPW_R_SIZE_MAX);
    SHOW(_SC_MONOTONIC_CLOCK);
    SHOW(_SC_SYMLOOP_MAX);
    /* The limits follow the resource limits. */
    struct rlimit limit = {100, 200};
    setrlimit(RLIMIT_NOFILE, &limit);
    SHOW(_SC_OPEN_MAX);
    limit.rlim_cur = 50;
    limit.rlim_max = 50;
    setrlimit(RLIMIT_NPROC, &limit);
    SHOW(_SC_CHILD_MAX);
    printf("_SC_NPROCESSORS_ONLN >= 1: %s\n", sysconf(_SC_NPROCESSORS_ONLN) >= 1 ? "yes" : "no");
    printf("_SC_NPROCESSORS_CONF >= ONLN: %s\n",
           sysconf(_SC_NPROCESSORS_CONF) >= sysconf(_SC_NPROCESSORS_ONLN) ? "yes" : "no");
    printf("_SC_PHYS_PAGES > _SC_AVPHYS_PAGES > 0: %s\n",
           sysconf(_SC_PHYS_PAGES) > sysconf(_SC_AVPHYS_PAGES) && sysconf(_SC_AVPHYS_PAGES) > 0
               ? "yes"
               : "no");
    printf("_SC_ARG_MAX >= _POSIX_ARG_MAX: %s\n", sysconf(_SC_ARG_MAX) >= 4096 ? "yes" : "no");
    errno = 0;
    long bad = sysconf(-1);
    printf("sysconf(-1) = %ld %s\n", bad, errno_name(errno));
    errno = 0;
    bad = sysconf(100000);
    printf("sysconf(100000) = %ld %s\n", bad, errno_name(errno));
}

static void path_configuration(void)
{
    printf("pathconf(/, NAME_MAX) = %ld\n", pathconf("/", _PC_NAME_MAX));
    printf("pathconf(/, PATH_MAX) = %ld\n", pathconf("/", _PC_PATH_MAX));
    printf("pathconf(/, NO_TRUNC) = %ld\n", pathconf("/", _PC_NO_TRUNC));
    printf("pathconf(/, VDISABLE) = %ld\n", pathconf("/", _PC_VDISABLE));
    printf("pathconf(/, CHOWN_RESTRICTED) = %ld\n", pathconf("/", _PC_CHOWN_RESTRICTED));
    int ends[2];
    if (pipe(ends) == 0) {
        printf("fpathconf(pipe, PIPE_BUF) = %ld\n", fpathconf(ends[0], _PC_PIPE_BUF));
        close(ends[0]);
        close(ends[1]);
    }
    printf("fpathconf(0, MAX_CANON) = %ld\n", fpathconf(0, _PC_MAX_CANON));
    errno = 0;
    long bad = pathconf("/no/such/path", _PC_NAME_MAX);
    printf("pathconf(missing) = %ld %s\n", bad, errno_name(errno));
    errno = 0;
    bad = fpathconf(99, _PC_NAME_MAX);
    printf("fpathconf(99) = %ld %s\n", bad, errno_name(errno));
    errno = 0;
    bad = pathconf("/", -1);
    printf("pathconf(/, -1) = %ld %s\n", bad, errno_name(errno));
}

static void host_name(void)
{
    char name[256], small[2];
    R(gethostname(name, sizeof name));
    struct utsname system;
    uname(&system);
    printf("gethostname equals uname's nodename: %s\n",
           strcmp(name, system.nodename) == 0 ? "yes" : "no");
    errno = 0;
    int result = gethostname(small, sizeof small);
    printf("gethostname(2 bytes) = %d %s\n", result, errno_name(errno));
    /* Only failing sethostname calls: the Linux side must not rename the build machine. */
    R(sethostname(contract_address(8), 5));
    R(sethostname("far-too-long-a-name-for-any-host-at-all-because-it-has-more-than-64-bytes", 70));
}

/* Names that exist on both sides only: a static glibc looking up a missing name goes on to the
 * NSS modules it cannot load (sdk_user_database checks the misses on Aramid). */
static void user_database(void)
{
    struct passwd *root = getpwnam("root");
    printf("getpwnam(root): uid %d gid %d\n", root ? (int)root->pw_uid : -1,
           root ? (int)root->pw_gid : -1);
    struct passwd *nobody = getpwuid(65534);
    printf("getpwuid(65534): %s\n", nobody ? nobody->pw_name : "NULL");
    nobody = getpwnam("nobody");
    printf("getpwnam(nobody): uid %d\n", nobody ? (int)nobody->pw_uid : -1);
    struct group *group = getgrnam("root");
    printf("getgrnam(root): gid %d\n", group ? (int)group->gr_gid : -1);
    group = getgrgid(0);
    printf("getgrgid(0): %s\n", group ? group->gr_name : "NULL");
    group = getgrgid(65534);
    printf("getgrgid(65534): %s\n", group ? group->gr_name : "NULL");
}

int main(void)
{
    contract_start();
    system_configuration();
    path_configuration();
    host_name();
    user_database();
    return contract_pass();
}
