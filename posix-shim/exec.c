/* The exec family over execve. There is no PATH search yet: programs are boot modules named by
 * their file names (docs/proc.md), so the p variants use file as the path. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

#include "shim.h"

extern char **environ;

/* argv of execl* lives on the caller's stack; more arguments than this give E2BIG. */
#define EXEC_LIST_MAX 256

int execv(const char *path, char *const argv[])
{
    return execve(path, argv, environ);
}

int execvp(const char *file, char *const argv[])
{
    return execve(file, argv, environ);
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
    return execve(file, argv, envp);
}

/* Collects execl's NULL-terminated argument list; the envp after the NULL if wanted. */
static int exec_list(const char *path, const char *first, va_list arguments, bool with_envp)
{
    char *argv[EXEC_LIST_MAX + 1];
    size_t argc = 0;
    for (const char *argument = first; argument != NULL; argument = va_arg(arguments, const char *)) {
        if (argc == EXEC_LIST_MAX) {
            errno = E2BIG;
            return -1;
        }
        argv[argc++] = (char *)argument;
    }
    argv[argc] = NULL;
    char *const *envp = with_envp ? va_arg(arguments, char *const *) : environ;
    return execve(path, argv, envp);
}

int execl(const char *path, const char *first, ...)
{
    va_list arguments;
    va_start(arguments, first);
    int result = exec_list(path, first, arguments, false);
    va_end(arguments);
    return result;
}

int execlp(const char *file, const char *first, ...)
{
    va_list arguments;
    va_start(arguments, first);
    int result = exec_list(file, first, arguments, false);
    va_end(arguments);
    return result;
}

int execle(const char *path, const char *first, ...)
{
    va_list arguments;
    va_start(arguments, first);
    int result = exec_list(path, first, arguments, true);
    va_end(arguments);
    return result;
}
