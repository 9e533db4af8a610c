/* Record locks: F_SETLK conflicts between processes, F_GETLK, F_SETLKW waiting for a release. */
#include <fcntl.h>

#include "contract.h"

static int lock(int fd, int command, short type, off_t start, off_t length)
{
    struct flock range = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = length};
    return fcntl(fd, command, &range);
}

int main(void)
{
    contract_start();
    char scratch[] = "/tmp/contract-XXXXXX";
    contract_scratch_start(scratch);
    int fd = open("file", O_RDWR | O_CREAT, 0600);
    R(write(fd, "0123456789", 10));
    R(lock(fd, F_SETLK, F_WRLCK, 0, 5));
    R(lock(fd, F_SETLK, F_RDLCK, 5, 0));
    int sync_pipe[2];
    pipe(sync_pipe);
    pid_t child = contract_fork();
    if (child == 0) {
        int own = open("file", O_RDWR);
        printf("child: write lock on 0..5: %s\n",
               lock(own, F_SETLK, F_WRLCK, 0, 5) == 0 ? "taken" : errno_name(errno));
        printf("child: read lock on 5..: %s\n",
               lock(own, F_SETLK, F_RDLCK, 5, 0) == 0 ? "taken" : errno_name(errno));
        struct flock query = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 1};
        fcntl(own, F_GETLK, &query);
        printf("child: F_GETLK finds %s at %ld+%ld\n",
               query.l_type == F_WRLCK ? "a write lock" : "something else", (long)query.l_start,
               (long)query.l_len);
        struct flock free_range = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 100, .l_len = 1};
        fcntl(own, F_GETLK, &free_range);
        printf("child: F_GETLK past the locks: %s\n", free_range.l_type == F_UNLCK ? "free" : "locked");
        write(sync_pipe[1], "w", 1);
        /* Blocks until the parent unlocks. */
        printf("child: F_SETLKW: %s\n", lock(own, F_SETLKW, F_WRLCK, 0, 5) == 0 ? "taken" : errno_name(errno));
        _exit(0);
    }
    char byte;
    read(sync_pipe[0], &byte, 1);
    usleep(200000);
    printf("parent: unlocking\n");
    /* Printed after the child is reaped: which of the two runs first after the unlock is the
     * scheduler's choice on either system. */
    int unlocked = lock(fd, F_SETLK, F_UNLCK, 0, 5);
    contract_reap("child", child);
    R(unlocked);
    R(lock(fd, F_SETLK, 99, 0, 5));
    R(lock(99, F_SETLK, F_WRLCK, 0, 5));
    int reader = open("file", O_RDONLY);
    R(lock(reader, F_SETLK, F_WRLCK, 0, 1));
    R(close(reader));
    R(close(fd));
    R(unlink("file"));
    R(chdir("/"));
    R(rmdir(scratch));
    return contract_pass();
}
