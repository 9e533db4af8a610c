/* libc pieces added for dash and busybox: regex, fnmatch, libgen, getline, mntent, credentials
 * for uid 0, vfork, wait3, umask, clearenv, byte order. (The user database is not compared: a
 * static glibc's getpwnam needs NSS modules; tests/sdk covers posix-shim's.) */
#include <byteswap.h>
#include <endian.h>
#include <fnmatch.h>
#include <libgen.h>
#include <mntent.h>
#include <netdb.h>
#include <regex.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "contract.h"

static void regex_row(const char *pattern, int flags, const char *text)
{
    regex_t regex;
    regmatch_t match[2];
    int code = regcomp(&regex, pattern, flags);
    if (code != 0) {
        char message[64];
        regerror(code, &regex, message, sizeof message);
        printf("regcomp(%s) fails: %s\n", pattern, code == REG_EBRACK ? "REG_EBRACK" :
               code == REG_EPAREN ? "REG_EPAREN" : "other");
        return;
    }
    code = regexec(&regex, text, 2, match, 0);
    if (code == 0)
        printf("regexec(%s, %s) = match %d-%d, group %d-%d\n", pattern, text, (int)match[0].rm_so,
               (int)match[0].rm_eo, (int)match[1].rm_so, (int)match[1].rm_eo);
    else
        printf("regexec(%s, %s) = %s\n", pattern, text, code == REG_NOMATCH ? "REG_NOMATCH" : "other");
    regfree(&regex);
}

static void fnmatch_row(const char *pattern, const char *text, int flags)
{
    int result = fnmatch(pattern, text, flags);
    printf("fnmatch(%s, %s, %s) = %s\n", pattern, text,
           flags == FNM_PATHNAME ? "FNM_PATHNAME" : flags == FNM_PERIOD ? "FNM_PERIOD" : "0",
           result == 0 ? "0" : result == FNM_NOMATCH ? "FNM_NOMATCH" : "other");
}

static void libgen_row(const char *path)
{
    char first[64], second[64];
    strcpy(first, path);
    strcpy(second, path);
    printf("dirname(%s) = %s, basename = %s\n", path, dirname(first), basename(second));
}

int main(void)
{
    contract_start();
    regex_row("b\\(c*\\)d", 0, "abccde");
    regex_row("^(a|b)+$", REG_EXTENDED, "abba");
    regex_row("x[0-9]{2}", REG_EXTENDED, "ax1y");
    regex_row("[[:upper:]]+", REG_EXTENDED, "abCDe");
    regex_row("[abc", 0, "a");
    regex_row("(ab", REG_EXTENDED, "ab");

    fnmatch_row("*.c", "main.c", 0);
    fnmatch_row("*.c", "dir/main.c", FNM_PATHNAME);
    fnmatch_row("*/*.c", "dir/main.c", FNM_PATHNAME);
    fnmatch_row("*", ".hidden", FNM_PERIOD);
    fnmatch_row("[!a-c]?", "dz", 0);
    fnmatch_row("\\*", "*", 0);

    libgen_row("/usr/lib/libc.a");
    libgen_row("/usr/");
    libgen_row("file");
    libgen_row("/");

    char text[] = "one\ntwo words\nlast";
    FILE *stream = fmemopen(text, strlen(text), "r");
    char *line = NULL;
    size_t size = 0;
    ssize_t length;
    while ((length = getline(&line, &size, stream)) >= 0)
        printf("getline = %zd [%.*s]\n", length, (int)strcspn(line, "\n"), line);
    rewind(stream);
    length = getdelim(&line, &size, ' ', stream);
    printf("getdelim(' ') = %zd\n", length);
    free(line);
    fclose(stream);

    char table[] = "# comment\n\n/dev/sda1 / ext4 rw,noatime 0 1\n"
                   "proc /proc proc rw,nosuid 0 0\nname\\040with\\040spaces /mnt tmpfs ro\n";
    stream = fmemopen(table, strlen(table), "r");
    struct mntent *entry;
    while ((entry = getmntent(stream)) != NULL)
        printf("mntent [%s] [%s] [%s] [%s] %d %d nosuid=%s\n", entry->mnt_fsname, entry->mnt_dir,
               entry->mnt_type, entry->mnt_opts, entry->mnt_freq, entry->mnt_passno,
               hasmntopt(entry, "nosuid") != NULL ? "yes" : "no");
    endmntent(stream);

    contract_result("setuid(0)", setuid(0));
    contract_result("setgid(0)", setgid(0));
    volatile int negative = -1; /* hidden from the compiler, which rejects a literal -1 */
    gid_t groups[1];
    contract_result("getgroups(-1)", getgroups(negative, groups));

    pid_t child = vfork();
    if (child == 0)
        _exit(5);
    contract_reap("vfork child", child);
    child = contract_fork();
    if (child == 0)
        _exit(3);
    int status;
    struct rusage usage;
    pid_t waited;
    do {
        waited = wait3(&status, 0, &usage);
    } while (waited < 0 && errno == EINTR);
    printf("wait3 returned the child: %s\n", waited == child ? "yes" : "no");
    contract_status("wait3", status);
    contract_result("wait3(no children)", wait3(&status, 0, NULL));

    umask(027);
    printf("umask(022) returned %03o\n", (unsigned)umask(022));
    printf("umask(0) returned %03o\n", (unsigned)umask(0));

    setenv("CONTRACT_EXTRA", "1", 1);
    contract_result("clearenv", clearenv());
    printf("after clearenv: CONTRACT_EXTRA %s\n", getenv("CONTRACT_EXTRA") ? "set" : "unset");
    setenv("AGAIN", "yes", 1);
    printf("setenv after clearenv: %s\n", getenv("AGAIN"));

    printf("bswap_32 = %08x, htobe16 = %04x, little endian: %s\n", bswap_32(0x12345678u),
           htobe16(0x1234), __BYTE_ORDER == __LITTLE_ENDIAN ? "yes" : "no");
    printf("major/minor(makedev(8, 1)) = %u %u\n", major(makedev(8, 1)), minor(makedev(8, 1)));
    printf("hstrerror(HOST_NOT_FOUND) = %s\n", hstrerror(HOST_NOT_FOUND));
    return contract_pass();
}
