/* Pipes and FIFOs: end of file, EPIPE and SIGPIPE, O_NONBLOCK, capacity, PIPE_BUF atomicity, blocking readers. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dup3, pipe2, getdents64 (the host build defines it on its command line) */
#endif
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

#include "contract.h"

#ifndef F_GETPIPE_SZ
#define F_GETPIPE_SZ 1032
#endif

static volatile sig_atomic_t pipe_signals;

static void on_sigpipe(int signal)
{
    (void)signal;
    pipe_signals++;
}

int main(void)
{
    contract_start();
    int fds[2];
    char buffer[PIPE_BUF];
    R(pipe(fds));
    R(write(fds[1], "abc", 3));
    R(read(fds[0], buffer, 2));
    R(read(fds[0], buffer, 10));
    R(lseek(fds[0], 0, SEEK_SET));
    R(pread(fds[0], buffer, 1, 0));
    R(read(fds[1], buffer, 1));
    R(write(fds[0], "x", 1));
    R(fcntl(fds[0], F_GETPIPE_SZ));
    R(fcntl(fds[0], F_GETFL) & O_ACCMODE);
    R(fcntl(fds[1], F_GETFL) & O_ACCMODE);
    struct stat status;
    R(fstat(fds[0], &status));
    printf("fifo: %d\n", S_ISFIFO(status.st_mode));
    /* A blocked reader gets the bytes a later writer sends. */
    pid_t child = contract_fork();
    if (child == 0) {
        usleep(100000);
        write(fds[1], "late", 4);
        _exit(0);
    }
    R(read(fds[0], buffer, sizeof(buffer)));
    contract_reap("writer", child);
    /* End of file once every writer is gone. */
    R(close(fds[1]));
    R(read(fds[0], buffer, sizeof(buffer)));
    R(close(fds[0]));
    /* EPIPE and SIGPIPE once every reader is gone. */
    signal(SIGPIPE, on_sigpipe);
    R(pipe(fds));
    R(close(fds[0]));
    R(write(fds[1], "x", 1));
    printf("SIGPIPE handled: %d\n", pipe_signals);
    R(close(fds[1]));
    signal(SIGPIPE, SIG_DFL);
    child = contract_fork();
    if (child == 0) {
        int inner[2];
        pipe(inner);
        close(inner[0]);
        write(inner[1], "x", 1);
        _exit(0);
    }
    contract_reap("writer without readers", child);
    /* O_NONBLOCK: EAGAIN when empty or full; a full pipe holds 64 KiB. (Page-sized writes: Linux
     * counts its capacity in pages, Aramid in bytes; whole pages look the same.) */
    R(pipe2(fds, O_NONBLOCK));
    R(read(fds[0], buffer, 1));
    long total = 0;
    memset(buffer, 'p', sizeof(buffer));
    for (;;) {
        ssize_t n = write(fds[1], buffer, PIPE_BUF);
        if (n < 0) {
            printf("full after %ld bytes: %s\n", total, errno_name(errno));
            break;
        }
        total += n;
    }
    R(write(fds[1], buffer, 1));
    R(read(fds[0], buffer, PIPE_BUF));
    R(write(fds[1], buffer, PIPE_BUF));
    R(write(fds[1], buffer, 1));
    R(close(fds[0]));
    R(close(fds[1]));
    R(pipe2(fds, 12345));
    R(pipe2(fds, O_CLOEXEC));
    R(fcntl(fds[0], F_GETFD));
    R(close(fds[0]));
    R(close(fds[1]));
    /* Writes of PIPE_BUF bytes from two writers never interleave. */
    R(pipe(fds));
    pid_t writers[2];
    for (int w = 0; w < 2; w++) {
        writers[w] = contract_fork();
        if (writers[w] == 0) {
            memset(buffer, 'A' + w, sizeof(buffer));
            for (int i = 0; i < 40; i++)
                write(fds[1], buffer, PIPE_BUF);
            _exit(0);
        }
    }
    close(fds[1]);
    int whole = 0, torn = 0;
    char block[PIPE_BUF];
    for (;;) {
        size_t got = 0;
        while (got < sizeof(block)) {
            ssize_t n = read(fds[0], block + got, sizeof(block) - got);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        if (got == 0)
            break;
        int same = got == sizeof(block);
        for (size_t i = 1; i < got && same; i++)
            same = block[i] == block[0];
        if (same)
            whole++;
        else
            torn++;
    }
    printf("blocks whole %d torn %d\n", whole, torn);
    contract_reap("writer A", writers[0]);
    contract_reap("writer B", writers[1]);
    R(close(fds[0]));
    /* A FIFO */
    char scratch[] = "/tmp/contract-XXXXXX";
    contract_scratch_start(scratch);
    R(mkfifo("fifo", 0600));
    R(mkfifo("fifo", 0600));
    R(stat("fifo", &status));
    printf("fifo mode: %d\n", S_ISFIFO(status.st_mode));
    child = contract_fork();
    if (child == 0) {
        int out = open("fifo", O_WRONLY);
        write(out, "through the fifo", 16);
        close(out);
        _exit(0);
    }
    int in = open("fifo", O_RDONLY);
    size_t got = 0;
    for (;;) {
        ssize_t n = read(in, buffer + got, sizeof(buffer) - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    printf("fifo read: %.*s\n", (int)got, buffer);
    contract_reap("fifo writer", child);
    R(close(in));
    R(unlink("fifo"));
    R(chdir("/"));
    R(rmdir(scratch));
    return contract_pass();
}
