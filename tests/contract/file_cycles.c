/* Files: 1,000 cycles of create, write, read back and unlink, and mkstemp, mkdtemp and tmpfile. */
#include <fcntl.h>
#include <sys/stat.h>

#include "contract.h"

int main(void)
{
    contract_start();
    char scratch[] = "/tmp/contract-XXXXXX";
    contract_scratch_start(scratch);
    static char data[6000], back[6000];
    int failures = 0;
    for (int cycle = 0; cycle < 1000; cycle++) {
        memset(data, 'a' + cycle % 26, sizeof(data));
        int fd = open("cycle", O_RDWR | O_CREAT | O_TRUNC, 0644);
        size_t length = 1000 + (size_t)cycle * 5;
        if (fd < 0 || write(fd, data, length) != (ssize_t)length ||
            pread(fd, back, length, 0) != (ssize_t)length || memcmp(data, back, length) != 0 ||
            close(fd) != 0 || unlink("cycle") != 0)
            failures++;
    }
    printf("cycles failed: %d\n", failures);
    char template[] = "tempXXXXXX";
    int fd = mkstemp(template);
    printf("mkstemp: %s\n", fd >= 0 ? "made" : errno_name(errno));
    struct stat status;
    R(fstat(fd, &status));
    printf("mkstemp mode %o\n", status.st_mode & 0777);
    R(unlink(template));
    R(close(fd));
    char directory[] = "dirXXXXXX";
    printf("mkdtemp: %s\n", mkdtemp(directory) != NULL ? "made" : errno_name(errno));
    R(stat(directory, &status));
    printf("mkdtemp mode %o\n", status.st_mode & 0777);
    R(rmdir(directory));
    FILE *temporary = tmpfile();
    printf("tmpfile: %s\n", temporary != NULL ? "made" : errno_name(errno));
    if (temporary != NULL) {
        fputs("scratch", temporary);
        rewind(temporary);
        char line[16] = {0};
        printf("tmpfile reads: %s\n", fgets(line, sizeof(line), temporary));
        fclose(temporary);
    }
    R(umask(027));
    fd = open("masked", O_WRONLY | O_CREAT, 0666);
    R(fstat(fd, &status));
    printf("umask 027: mode %o\n", status.st_mode & 0777);
    R(close(fd));
    R(unlink("masked"));
    struct timespec times[2] = {{.tv_sec = 1000000000, .tv_nsec = 0}, {.tv_sec = 1234567890, .tv_nsec = 5}};
    fd = open("timed", O_WRONLY | O_CREAT, 0644);
    R(futimens(fd, times));
    R(stat("timed", &status));
    printf("mtime %ld atime %ld\n", (long)status.st_mtime, (long)status.st_atime);
    R(utimensat(AT_FDCWD, "timed", NULL, 0));
    R(utimensat(AT_FDCWD, "missing", NULL, 0));
    R(fchmod(fd, 0600));
    R(fstat(fd, &status));
    printf("fchmod: %o\n", status.st_mode & 0777);
    R(chown("timed", 0, 0));
    R(close(fd));
    R(unlink("timed"));
    R(chdir("/"));
    R(rmdir(scratch));
    return contract_pass();
}
