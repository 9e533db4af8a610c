/* Helpers shared by the contract programs: unbuffered output, errno and signal names, statuses. */
#ifndef CONTRACT_H
#define CONTRACT_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Every program prints facts, one a line, that must be the same on Linux and on Aramid: names,
 * never numbers that differ between C libraries (errno values, signal numbers), and never pids,
 * addresses or durations. stdout is unbuffered so that nothing is duplicated by fork or lost by
 * a crash, and so that lines come out in the order the events happened.
 */
static inline void contract_start(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
}

/* An address the compiler cannot see through: for passing unmapped pointers on purpose. */
static inline void *contract_address(uintptr_t address)
{
    volatile uintptr_t hidden = address;
    return (void *)hidden;
}

/* The last line of a program that reached its end. */
static inline int contract_pass(void)
{
    printf("CONTRACT_PASS\n");
    return 0;
}

#define CONTRACT_NAME(x) \
    case x:              \
        return #x

static inline const char *errno_name(int value)
{
    switch (value) {
    case 0:
        return "0";
        CONTRACT_NAME(EPERM);
        CONTRACT_NAME(ENOENT);
        CONTRACT_NAME(ESRCH);
        CONTRACT_NAME(EINTR);
        CONTRACT_NAME(EIO);
        CONTRACT_NAME(ENXIO);
        CONTRACT_NAME(E2BIG);
        CONTRACT_NAME(ENOEXEC);
        CONTRACT_NAME(EBADF);
        CONTRACT_NAME(ECHILD);
        CONTRACT_NAME(EAGAIN);
        CONTRACT_NAME(ENOMEM);
        CONTRACT_NAME(EACCES);
        CONTRACT_NAME(EFAULT);
        CONTRACT_NAME(EBUSY);
        CONTRACT_NAME(ETIMEDOUT);
        CONTRACT_NAME(EEXIST);
        CONTRACT_NAME(ENODEV);
        CONTRACT_NAME(ENOTDIR);
        CONTRACT_NAME(EISDIR);
        CONTRACT_NAME(EINVAL);
        CONTRACT_NAME(EMFILE);
        CONTRACT_NAME(ENOTTY);
        CONTRACT_NAME(ESPIPE);
        CONTRACT_NAME(EROFS);
        CONTRACT_NAME(EPIPE);
        CONTRACT_NAME(ERANGE);
        CONTRACT_NAME(ENAMETOOLONG);
        CONTRACT_NAME(ENOSYS);
        CONTRACT_NAME(EOVERFLOW);
        CONTRACT_NAME(EXDEV);
        CONTRACT_NAME(ENOTEMPTY);
        CONTRACT_NAME(ELOOP);
        CONTRACT_NAME(EMLINK);
        CONTRACT_NAME(ENOSPC);
        CONTRACT_NAME(EFBIG);
        CONTRACT_NAME(ENFILE);
        CONTRACT_NAME(EDEADLK);
        CONTRACT_NAME(ENOLCK);
        CONTRACT_NAME(ENOTSOCK);
        CONTRACT_NAME(EDESTADDRREQ);
        CONTRACT_NAME(EMSGSIZE);
        CONTRACT_NAME(EPROTOTYPE);
        CONTRACT_NAME(ENOPROTOOPT);
        CONTRACT_NAME(EPROTONOSUPPORT);
        CONTRACT_NAME(EOPNOTSUPP);
        CONTRACT_NAME(EAFNOSUPPORT);
        CONTRACT_NAME(EADDRINUSE);
        CONTRACT_NAME(ECONNRESET);
        CONTRACT_NAME(EISCONN);
        CONTRACT_NAME(ENOTCONN);
        CONTRACT_NAME(ECONNREFUSED);
        CONTRACT_NAME(EIDRM);
        CONTRACT_NAME(ENOMSG);
        CONTRACT_NAME(ECANCELED);
        CONTRACT_NAME(EINPROGRESS);
    default:
        return "E?";
    }
}

static inline const char *signal_name(int value)
{
    switch (value) {
        CONTRACT_NAME(SIGHUP);
        CONTRACT_NAME(SIGINT);
        CONTRACT_NAME(SIGQUIT);
        CONTRACT_NAME(SIGILL);
        CONTRACT_NAME(SIGTRAP);
        CONTRACT_NAME(SIGABRT);
        CONTRACT_NAME(SIGBUS);
        CONTRACT_NAME(SIGFPE);
        CONTRACT_NAME(SIGKILL);
        CONTRACT_NAME(SIGUSR1);
        CONTRACT_NAME(SIGSEGV);
        CONTRACT_NAME(SIGUSR2);
        CONTRACT_NAME(SIGPIPE);
        CONTRACT_NAME(SIGALRM);
        CONTRACT_NAME(SIGTERM);
        CONTRACT_NAME(SIGCHLD);
        CONTRACT_NAME(SIGCONT);
        CONTRACT_NAME(SIGSTOP);
        CONTRACT_NAME(SIGTSTP);
        CONTRACT_NAME(SIGTTIN);
        CONTRACT_NAME(SIGTTOU);
        CONTRACT_NAME(SIGURG);
        CONTRACT_NAME(SIGWINCH);
        CONTRACT_NAME(SIGSYS);
        CONTRACT_NAME(SIGXCPU);
        CONTRACT_NAME(SIGXFSZ);
    default:
        return "SIG?";
    }
}

#undef CONTRACT_NAME

/* "= 0", or "= -1 ENAME" from a call's result and errno, for lines like "close(99) = -1 EBADF". */
static inline void contract_result(const char *what, long result)
{
    if (result < 0)
        printf("%s = %ld %s\n", what, result, errno_name(errno));
    else
        printf("%s = %ld\n", what, result);
}

/* R(call): prints "call = result" or "call = -1 ENAME", the call's own text as its name. */
#define R(call) contract_result(#call, (long)(call))

/* A fresh directory under /tmp to work in (the working directory from now on); its name is
 * never printed; the program removes what it made. */
static inline void contract_scratch_start(char *path)
{
    if (mkdtemp(path) == NULL || chdir(path) != 0) {
        printf("scratch directory: %s\n", errno_name(errno));
        exit(1);
    }
}

/* A wait status in words: "exited 3", "signaled SIGSEGV", "stopped SIGSTOP", "continued". */
static inline void contract_status(const char *what, int status)
{
    if (WIFEXITED(status))
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: signaled %s\n", what, signal_name(WTERMSIG(status)));
    else if (WIFSTOPPED(status))
        printf("%s: stopped %s\n", what, signal_name(WSTOPSIG(status)));
    else
        printf("%s: status other\n", what);
}

/* waitpid for one child, retrying EINTR; prints the status under the name what. */
static inline void contract_reap(const char *what, pid_t child)
{
    int status;
    pid_t got;
    do {
        got = waitpid(child, &status, 0);
    } while (got < 0 && errno == EINTR);
    if (got != child) {
        printf("%s: waitpid failed %s\n", what, errno_name(errno));
        return;
    }
    contract_status(what, status);
}

/* fork, or print why not and end the program (the facts after it would be meaningless). */
static inline pid_t contract_fork(void)
{
    pid_t child = fork();
    if (child < 0) {
        printf("fork = -1 %s\n", errno_name(errno));
        exit(1);
    }
    return child;
}

#endif
