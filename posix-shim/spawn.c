/* posix_spawn and posix_spawnp with file actions and attributes (newlib's <spawn.h>: opaque
 * pointer types), over fork and execve as glibc's contract asks: the error of any step, the
 * exec included, comes back as the call's result, and no child is left then. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd.h"

enum spawn_action_kind { SPAWN_OPEN, SPAWN_DUP2, SPAWN_CLOSE };

struct spawn_action {
    enum spawn_action_kind kind;
    int fd;
    int source; /* dup2: the descriptor copied to fd */
    int flags;  /* open */
    mode_t mode;
    char *path; /* open: a copy */
};

struct __posix_spawn_file_actions {
    size_t count;
    size_t capacity;
    struct spawn_action *actions;
};

struct __posix_spawnattr {
    short flags;
    pid_t group;
    sigset_t mask;
    sigset_t defaults;
};

#define SPAWN_FLAGS_KNOWN                                                                          \
    (POSIX_SPAWN_RESETIDS | POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSCHEDPARAM |                  \
     POSIX_SPAWN_SETSCHEDULER | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *actions)
{
    *actions = calloc(1, sizeof(**actions));
    return *actions == NULL ? ENOMEM : 0;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *actions)
{
    if (actions == NULL || *actions == NULL)
        return EINVAL;
    for (size_t i = 0; i < (*actions)->count; i++)
        free((*actions)->actions[i].path);
    free((*actions)->actions);
    free(*actions);
    *actions = NULL;
    return 0;
}

/* Appends action; EBADF for a descriptor out of range (glibc: below 0 or the NOFILE limit). */
static int spawn_action_add(posix_spawn_file_actions_t *actions, struct spawn_action action)
{
    if (action.fd < 0 || action.fd >= fd_limit() ||
        (action.kind == SPAWN_DUP2 && (action.source < 0 || action.source >= fd_limit())))
        return EBADF;
    struct __posix_spawn_file_actions *list = *actions;
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 8;
        struct spawn_action *grown = realloc(list->actions, capacity * sizeof(*grown));
        if (grown == NULL)
            return ENOMEM;
        list->actions = grown;
        list->capacity = capacity;
    }
    list->actions[list->count++] = action;
    return 0;
}

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *actions, int fd,
                                     const char *path, int flags, mode_t mode)
{
    if (fd < 0 || fd >= fd_limit())
        return EBADF;
    char *copy = strdup(path);
    if (copy == NULL)
        return ENOMEM;
    int result = spawn_action_add(actions, (struct spawn_action){SPAWN_OPEN, fd, 0, flags, mode, copy});
    if (result != 0)
        free(copy);
    return result;
}

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *actions, int fd, int target)
{
    return spawn_action_add(actions, (struct spawn_action){SPAWN_DUP2, target, fd, 0, 0, NULL});
}

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *actions, int fd)
{
    return spawn_action_add(actions, (struct spawn_action){SPAWN_CLOSE, fd, 0, 0, 0, NULL});
}

int posix_spawnattr_init(posix_spawnattr_t *attributes)
{
    *attributes = calloc(1, sizeof(**attributes));
    return *attributes == NULL ? ENOMEM : 0;
}

int posix_spawnattr_destroy(posix_spawnattr_t *attributes)
{
    if (attributes == NULL || *attributes == NULL)
        return EINVAL;
    free(*attributes);
    *attributes = NULL;
    return 0;
}

int posix_spawnattr_getflags(const posix_spawnattr_t *attributes, short *flags)
{
    *flags = (*attributes)->flags;
    return 0;
}

int posix_spawnattr_setflags(posix_spawnattr_t *attributes, short flags)
{
    if (flags & ~SPAWN_FLAGS_KNOWN)
        return EINVAL;
    (*attributes)->flags = flags;
    return 0;
}

int posix_spawnattr_getpgroup(const posix_spawnattr_t *attributes, pid_t *group)
{
    *group = (*attributes)->group;
    return 0;
}

int posix_spawnattr_setpgroup(posix_spawnattr_t *attributes, pid_t group)
{
    (*attributes)->group = group;
    return 0;
}

int posix_spawnattr_getsigmask(const posix_spawnattr_t *attributes, sigset_t *mask)
{
    *mask = (*attributes)->mask;
    return 0;
}

int posix_spawnattr_setsigmask(posix_spawnattr_t *attributes, const sigset_t *mask)
{
    (*attributes)->mask = *mask;
    return 0;
}

int posix_spawnattr_getsigdefault(const posix_spawnattr_t *attributes, sigset_t *defaults)
{
    *defaults = (*attributes)->defaults;
    return 0;
}

int posix_spawnattr_setsigdefault(posix_spawnattr_t *attributes, const sigset_t *defaults)
{
    (*attributes)->defaults = *defaults;
    return 0;
}

/* Scheduling policies and parameters: Aramid has none to choose (sched_setscheduler is
 * absent), so these are refused. */
int posix_spawnattr_getschedparam(const posix_spawnattr_t *attributes, struct sched_param *param)
{
    (void)attributes;
    (void)param;
    return ENOSYS;
}

int posix_spawnattr_setschedparam(posix_spawnattr_t *attributes, const struct sched_param *param)
{
    (void)attributes;
    (void)param;
    return ENOSYS;
}

int posix_spawnattr_getschedpolicy(const posix_spawnattr_t *attributes, int *policy)
{
    (void)attributes;
    (void)policy;
    return ENOSYS;
}

int posix_spawnattr_setschedpolicy(posix_spawnattr_t *attributes, int policy)
{
    (void)attributes;
    (void)policy;
    return ENOSYS;
}

/* The child's attributes, in glibc's order: signal mask last (after the defaults). */
static int spawn_apply_attributes(const struct __posix_spawnattr *attributes)
{
    if (attributes == NULL)
        return 0;
    if (attributes->flags & (POSIX_SPAWN_SETSCHEDPARAM | POSIX_SPAWN_SETSCHEDULER))
        return ENOSYS;
    if ((attributes->flags & POSIX_SPAWN_SETPGROUP) && setpgid(0, attributes->group) != 0)
        return errno;
    if ((attributes->flags & POSIX_SPAWN_RESETIDS) && (setgid(getgid()) != 0 || setuid(getuid()) != 0))
        return errno;
    if (attributes->flags & POSIX_SPAWN_SETSIGDEF) {
        struct sigaction default_action = {.sa_handler = SIG_DFL};
        sigemptyset(&default_action.sa_mask);
        for (int signal = 1; signal < NSIG; signal++) {
            if (sigismember(&attributes->defaults, signal) == 1 && signal != SIGKILL &&
                signal != SIGSTOP)
                (void)sigaction(signal, &default_action, NULL);
        }
    }
    if ((attributes->flags & POSIX_SPAWN_SETSIGMASK) &&
        sigprocmask(SIG_SETMASK, &attributes->mask, NULL) != 0)
        return errno;
    return 0;
}

/* The file actions in order, as glibc does them: open onto fd (its own descriptor moved),
 * dup2 (to itself: close-on-exec cleared), close (a descriptor not open is no error). */
static int spawn_apply_actions(const struct __posix_spawn_file_actions *actions)
{
    for (size_t i = 0; actions != NULL && i < actions->count; i++) {
        const struct spawn_action *action = &actions->actions[i];
        switch (action->kind) {
        case SPAWN_OPEN: {
            int fd = open(action->path, action->flags, action->mode);
            if (fd < 0)
                return errno;
            if (fd != action->fd) {
                if (dup2(fd, action->fd) < 0)
                    return errno;
                close(fd);
            }
            break;
        }
        case SPAWN_DUP2:
            if (action->source == action->fd) {
                int flags = fcntl(action->fd, F_GETFD);
                if (flags < 0 || fcntl(action->fd, F_SETFD, flags & ~FD_CLOEXEC) < 0)
                    return errno;
            } else if (dup2(action->source, action->fd) < 0) {
                return errno;
            }
            break;
        case SPAWN_CLOSE:
            (void)close(action->fd);
            break;
        }
    }
    return 0;
}

/* The child tells its parent why it failed through a close-on-exec pipe: end of file means the
 * exec succeeded. Its own end lands at a high descriptor, out of the file actions' way. */
static int spawn_run(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
                     const posix_spawnattr_t *attributes, char *const argv[], char *const envp[],
                     bool search)
{
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0)
        return errno;
    long high = fd_duplicate(ends[1], fd_limit() - 1, 1);
    if (high < 0)
        high = fd_duplicate(ends[1], 0, 1);
    close(ends[1]);
    if (high < 0) {
        close(ends[0]);
        return -(int)high;
    }
    int report = (int)high;
    pid_t child = fork();
    if (child == 0) {
        close(ends[0]);
        int error = spawn_apply_attributes(attributes ? *attributes : NULL);
        if (error == 0)
            error = spawn_apply_actions(actions ? *actions : NULL);
        if (error == 0) {
            if (search)
                execvpe(path, argv, envp);
            else
                execve(path, argv, envp);
            error = errno;
        }
        while (write(report, &error, sizeof(error)) < 0 && errno == EINTR)
            continue;
        _exit(127);
    }
    int error = child < 0 ? errno : 0;
    close(report);
    if (child > 0) {
        int reported = 0;
        long got;
        while ((got = read(ends[0], &reported, sizeof(reported))) < 0 && errno == EINTR)
            continue;
        if (got == (long)sizeof(reported)) {
            error = reported;
            while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
                continue;
        } else if (pid != NULL) {
            *pid = child;
        }
    }
    close(ends[0]);
    return error;
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *actions,
                const posix_spawnattr_t *attributes, char *const argv[], char *const envp[])
{
    return spawn_run(pid, path, actions, attributes, argv, envp, false);
}

/* PATH comes from the caller's environment (environ), as glibc searches it. */
int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *actions,
                 const posix_spawnattr_t *attributes, char *const argv[], char *const envp[])
{
    return spawn_run(pid, file, actions, attributes, argv, envp, true);
}
