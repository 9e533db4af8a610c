/* popen, pclose and system through /bin/sh -c, as glibc runs them; vfork (a fork whose parent
 * waits until the child execs or exits) and brk. */
#define _GNU_SOURCE
#include <errno.h>
#include <reent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd.h"
#include "shim.h"

#define POPEN_SHELL "/bin/sh"

/* The streams popen made and their children: POSIX has a child close the others' descriptors,
 * and pclose waits for the stream's own child. */
struct popen_stream {
    FILE *file;
    pid_t child;
    struct popen_stream *next;
};
static struct popen_stream *popen_streams;

FILE *popen(const char *command, const char *mode)
{
    bool reading = mode != NULL && mode[0] == 'r';
    if (mode == NULL || (mode[0] != 'r' && mode[0] != 'w') ||
        (mode[1] != '\0' && (mode[1] != 'e' || mode[2] != '\0'))) {
        errno = EINVAL;
        return NULL;
    }
    struct popen_stream *stream = malloc(sizeof(*stream));
    if (stream == NULL)
        return NULL;
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) {
        free(stream);
        return NULL;
    }
    int mine = reading ? ends[0] : ends[1], theirs = reading ? ends[1] : ends[0];
    pid_t child = fork();
    if (child == 0) {
        for (struct popen_stream *other = popen_streams; other != NULL; other = other->next)
            close(fileno(other->file));
        int target = reading ? STDOUT_FILENO : STDIN_FILENO;
        if (theirs == target)
            (void)fcntl(theirs, F_SETFD, 0);
        else if (dup2(theirs, target) < 0)
            _exit(127);
        execl(POPEN_SHELL, "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    int saved = errno;
    close(theirs);
    if (child < 0) {
        close(mine);
        free(stream);
        errno = saved;
        return NULL;
    }
    if (mode[1] != 'e')
        (void)fcntl(mine, F_SETFD, 0);
    stream->file = fdopen(mine, reading ? "r" : "w");
    if (stream->file == NULL) {
        close(mine);
        (void)waitpid(child, NULL, 0);
        free(stream);
        return NULL;
    }
    stream->child = child;
    stream->next = popen_streams;
    popen_streams = stream;
    return stream->file;
}

/* The child's wait status, or -1: ECHILD for a stream popen did not make. */
int pclose(FILE *file)
{
    struct popen_stream **link = &popen_streams;
    while (*link != NULL && (*link)->file != file)
        link = &(*link)->next;
    if (*link == NULL) {
        errno = ECHILD;
        return -1;
    }
    struct popen_stream *stream = *link;
    *link = stream->next;
    pid_t child = stream->child;
    free(stream);
    fclose(file);
    int status;
    pid_t got;
    do {
        got = waitpid(child, &status, 0);
    } while (got < 0 && errno == EINTR);
    return got < 0 ? -1 : status;
}

/* As POSIX and glibc: SIGINT and SIGQUIT ignored and SIGCHLD blocked in the caller while the
 * command runs; the wait status, 127 << 8 when the shell could not run, -1 when no child could
 * be made. system(NULL): whether there is a shell. */
int system(const char *command)
{
    if (command == NULL)
        return access(POPEN_SHELL, X_OK) == 0;
    struct sigaction ignore = {.sa_handler = SIG_IGN}, old_interrupt, old_quit;
    sigemptyset(&ignore.sa_mask);
    sigset_t child_signal, old_mask;
    sigemptyset(&child_signal);
    sigaddset(&child_signal, SIGCHLD);
    sigaction(SIGINT, &ignore, &old_interrupt);
    sigaction(SIGQUIT, &ignore, &old_quit);
    sigprocmask(SIG_BLOCK, &child_signal, &old_mask);
    int status = -1;
    pid_t child = fork();
    if (child == 0) {
        sigaction(SIGINT, &old_interrupt, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        sigprocmask(SIG_SETMASK, &old_mask, NULL);
        execl(POPEN_SHELL, "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    if (child > 0) {
        pid_t got;
        do {
            got = waitpid(child, &status, 0);
        } while (got < 0 && errno == EINTR);
        if (got < 0)
            status = -1;
    }
    int saved = errno;
    sigaction(SIGINT, &old_interrupt, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    errno = saved;
    return status;
}

/* newlib's reentrant name for system: defined here so that its own system (which returns the
 * exit code, not the wait status) is never linked in beside this one. */
int _system_r(struct _reent *reent, const char *command)
{
    (void)reent;
    return system(command);
}

/* vfork's promise to the parent, kept without sharing memory (the child gets a copy, so what it
 * does before execve cannot hurt the parent): the parent sleeps until the child execs or exits.
 * A close-on-exec pipe the child holds tells it: end of file when execve or exit closes it. */
pid_t vfork(void)
{
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0)
        return fork(); /* no descriptors left: a plain fork keeps the semantics that matter */
    /* Out of the way of the numbers the child's program expects (open() takes the lowest). */
    for (int i = 0; i < 2; i++) {
        long high = fd_duplicate(ends[i], fd_limit() - 4, 1);
        if (high >= 0) {
            close(ends[i]);
            ends[i] = (int)high;
        }
    }
    pid_t child = fork();
    if (child == 0) {
        close(ends[0]);
        return 0;
    }
    int saved = errno;
    close(ends[1]);
    if (child > 0) {
        char byte;
        while (read(ends[0], &byte, 1) < 0 && errno == EINTR)
            continue;
    }
    close(ends[0]);
    errno = saved;
    return child;
}

/* brk over sbrk: the break moves to address (Linux: brk(2) fails with ENOMEM). */
int brk(void *address)
{
    char *current = sbrk(0);
    if (current == (char *)-1)
        return -1;
    if (sbrk((char *)address - current) == (void *)-1) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}
