/* Descriptors: dup, dup2, dup3, fcntl, a shared offset after dup and fork, close-on-exec across execve. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dup3, pipe2, getdents64 (the host build defines it on its command line) */
#endif
#include <fcntl.h>
#include <sys/stat.h>

#include "contract.h"

int main(int argc, char **argv)
{
    contract_start();
    if (argc > 2 && strcmp(argv[1], "exec") == 0) {
        int kept = atoi(argv[2]);
        char buffer[8] = {0};
        printf("after execve: kept fd reads %ld\n", (long)read(kept, buffer, 3));
        printf("after execve: it continues at %s\n", buffer);
        printf("after execve: close-on-exec fd: %s\n",
               fcntl(kept + 1, F_GETFD) < 0 ? errno_name(errno) : "open");
        return contract_pass();
    }
    char scratch[] = "/tmp/contract-XXXXXX";
    contract_scratch_start(scratch);
    int fd = open("file", O_RDWR | O_CREAT, 0600);
    R(write(fd, "0123456789", 10));
    R(lseek(fd, 2, SEEK_SET));
    int copy = dup(fd);
    char buffer[8];
    R(read(copy, buffer, 2));
    R(lseek(fd, 0, SEEK_CUR));
    R(fcntl(copy, F_GETFD));
    R(dup2(fd, fd));
    R(dup2(fd, 99) == 99);
    R(close(99));
    R(dup2(fd, -1));
    R(dup2(-1, 5));
    R(dup3(fd, fd, 0));
    R(dup3(fd, 50, O_CLOEXEC) == 50);
    R(fcntl(50, F_GETFD) == FD_CLOEXEC);
    R(dup3(fd, 51, 12345));
    R(fcntl(fd, F_DUPFD, 60) >= 60);
    R(fcntl(fd, F_DUPFD_CLOEXEC, 70) >= 70);
    R(fcntl(fd, F_DUPFD, -1));
    R(fcntl(fd, F_GETFL) & O_ACCMODE);
    R((fcntl(fd, F_GETFL) & O_APPEND) != 0);
    R(fcntl(fd, F_SETFL, O_APPEND | O_RDONLY));
    R((fcntl(copy, F_GETFL) & O_APPEND) != 0);
    R(fcntl(fd, F_GETFL) & O_ACCMODE);
    R(fcntl(fd, F_SETFL, 0));
    R(fcntl(fd, F_SETFD, FD_CLOEXEC));
    R(fcntl(fd, F_GETFD));
    R(fcntl(copy, F_GETFD));
    R(fcntl(fd, F_SETFD, 0));
    R(close(copy));
    R(close(copy));
    R(read(copy, buffer, 1));
    R(write(copy, buffer, 1));
    R(lseek(copy, 0, SEEK_SET));
    struct stat status;
    R(fstat(copy, &status));
    R(fcntl(copy, F_GETFL));
    R(dup(copy));
    R(ftruncate(copy, 0));
    R(fsync(copy));
    R(fsync(fd));
    R(fdatasync(fd));
    /* fork: one description, one offset */
    R(lseek(fd, 0, SEEK_SET));
    pid_t child = contract_fork();
    if (child == 0) {
        read(fd, buffer, 3);
        _exit(0);
    }
    contract_reap("child", child);
    R(lseek(fd, 0, SEEK_CUR));
    /* execve keeps the descriptor (and its offset), closes the close-on-exec one */
    int keep = dup2(fd, 20);
    int drop = dup2(fd, 21);
    R(fcntl(drop, F_SETFD, FD_CLOEXEC));
    child = contract_fork();
    if (child == 0) {
        char number[16];
        snprintf(number, sizeof(number), "%d", keep);
        char *args[] = {argv[0], "exec", number, NULL};
        char *self = getenv("CONTRACT_SELF");
        char environment[512];
        snprintf(environment, sizeof(environment), "CONTRACT_SELF=%s", self != NULL ? self : "");
        char *envp[] = {environment, NULL};
        execve(self != NULL ? self : "", args, envp);
        printf("execve failed: %s\n", errno_name(errno));
        _exit(1);
    }
    contract_reap("exec child", child);
    R(lseek(fd, 0, SEEK_CUR));
    R(unlink("file"));
    R(chdir("/"));
    R(rmdir(scratch));
    return contract_pass();
}
