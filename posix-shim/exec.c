/* The exec family over execve: PATH search for the p variants, `#!` scripts, and the program
 * read from the vfs (or a boot module where there is no vfs). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootfs.h"
#include "fd.h"
#include "shim.h"
#include "vfs.h"

extern char **environ;

/* argv of execl* lives on the caller's stack; more arguments than this give E2BIG. */
#define EXEC_LIST_MAX 256

int execv(const char *path, char *const argv[])
{
    return execve(path, argv, environ);
}

/* Interpreters of interpreters: Linux allows 4 levels before ELOOP. */
#define EXEC_INTERPRETERS_MAX 4
#define EXEC_HEAD_BYTES 256

/*
 * execve from the vfs. The file must be a regular file with an execute bit (EACCES); one that
 * starts with "#!" runs its interpreter with the script's path as its argument (one optional
 * argument after the interpreter, as Linux). Close-on-exec descriptors are closed once the
 * program is known, just before proc replaces the image.
 */
static long exec_vfs(const char *path, char *const argv[], char *const envp[], int depth)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct stat status;
    char head[EXEC_HEAD_BYTES];
    ssize_t bytes = -1;
    long error = fstat(fd, &status) == 0 ? 0 : -errno;
    if (error == 0 && (!S_ISREG(status.st_mode) || (status.st_mode & 0111) == 0))
        error = -EACCES;
    if (error == 0) {
        bytes = read(fd, head, sizeof(head) - 1);
        error = bytes < 0 ? -errno : 0;
    }
    (void)close(fd);
    if (error < 0)
        return error;
    if (bytes >= 2 && head[0] == '#' && head[1] == '!') {
        if (depth >= EXEC_INTERPRETERS_MAX)
            return -ELOOP;
        head[bytes] = '\0';
        char *line_end = strchr(head, '\n');
        if (line_end == NULL && bytes == (ssize_t)sizeof(head) - 1)
            return -ENOEXEC; /* the line is longer than Linux's limit here */
        if (line_end != NULL)
            *line_end = '\0';
        char *interpreter = head + 2;
        while (*interpreter == ' ' || *interpreter == '\t')
            interpreter++;
        char *end = interpreter;
        while (*end != '\0' && *end != ' ' && *end != '\t')
            end++;
        char *argument = NULL;
        if (*end != '\0') {
            *end++ = '\0';
            while (*end == ' ' || *end == '\t')
                end++;
            size_t length = strlen(end);
            while (length > 0 && (end[length - 1] == ' ' || end[length - 1] == '\t'))
                end[--length] = '\0';
            if (length > 0)
                argument = end;
        }
        if (*interpreter == '\0')
            return -ENOEXEC;
        size_t argc = 0;
        while (argv != NULL && argv[argc] != NULL)
            argc++;
        char **script_argv = malloc((argc + 3) * sizeof(char *));
        if (script_argv == NULL)
            return -ENOMEM;
        size_t at = 0;
        script_argv[at++] = interpreter;
        if (argument != NULL)
            script_argv[at++] = argument;
        script_argv[at++] = (char *)path;
        for (size_t i = 1; i < argc; i++)
            script_argv[at++] = argv[i];
        script_argv[at] = NULL;
        long result = exec_vfs(interpreter, script_argv, envp, depth + 1);
        free(script_argv);
        return result;
    }
    long dir = VFS_AT_ROOT;
    long path_bytes = vfs_dir_of(AT_FDCWD, &dir);
    if (path_bytes == 0)
        path_bytes = vfs_put_path(path, 0);
    if (path_bytes < 0)
        return path_bytes;
    aramid_handle_t image;
    size_t size;
    long result =
        shim_error_from_sys(aramid_vfs_exec_open(dir, (size_t)path_bytes, &image, &size));
    if (result < 0)
        return result;
    unsigned long blocked, ignored;
    fd_close_exec();
    signal_exec_state(&blocked, &ignored);
    unsigned long token = vfs_exec_prepare();
    result = shim_error_from_sys(
        aramid_proc_execve_image(image, size, argv, envp, blocked, ignored, token));
    vfs_exec_failed(token);
    return result;
}

/* Each entry of a NULL-terminated string vector (argv, envp) and the vector itself readable:
 * 0 or -EFAULT, as Linux's execve. A NULL vector is an empty one. */
static long exec_check_vector(char *const vector[])
{
    if (vector == NULL)
        return 0;
    for (size_t i = 0;; i++) {
        char *entry;
        if (shim_copy_in(&entry, &vector[i], sizeof(entry)) != 0)
            return -EFAULT;
        if (entry == NULL)
            return 0;
        long bad = shim_check_string(entry);
        if (bad < 0)
            return bad == -ENAMETOOLONG ? 0 : bad; /* long arguments are proc's E2BIG */
    }
}

/*
 * Programs come from the vfs; without one (the root task, a run without vfs) path names a boot
 * module (proc strips leading "/" and "./": docs/proc.md). Handlers go back to the default in
 * the new image; the mask, ignored signals and pending signals stay.
 */
int execve(const char *path, char *const argv[], char *const envp[])
{
    if (!shim_started_by_proc)
        return (int)shim_return(-ENOSYS);
    long bad = shim_check_string(path);
    if (bad == 0)
        bad = exec_check_vector(argv);
    if (bad == 0)
        bad = exec_check_vector(envp);
    if (bad < 0)
        return (int)shim_return(bad);
    if (vfs_available())
        return (int)shim_return(exec_vfs(path, argv, envp, 0));
    if (bootfs_is_directory(path))
        return (int)shim_return(-EACCES); /* as Linux for a directory */
    unsigned long blocked, ignored;
    fd_close_exec();
    signal_exec_state(&blocked, &ignored);
    return (int)shim_return(
        shim_error_from_sys(aramid_proc_execve_signals(path, argv, envp, blocked, ignored, 0)));
}

/* PATH search as glibc's execvpe: a file with a '/' is used as it is; otherwise each directory
 * of PATH (default /bin:/usr/bin) is tried; EACCES is reported if any try gave it. */
int execvpe(const char *file, char *const argv[], char *const envp[])
{
    if (file == NULL)
        return (int)shim_return(-EFAULT);
    if (file[0] == '\0')
        return (int)shim_return(-ENOENT);
    if (strchr(file, '/') != NULL)
        return execve(file, argv, envp);
    const char *search = getenv("PATH");
    if (search == NULL)
        search = "/bin:/usr/bin";
    bool denied = false;
    char candidate[PATH_MAX];
    size_t file_length = strlen(file);
    for (const char *at = search;;) {
        const char *end = strchr(at, ':');
        size_t length = end != NULL ? (size_t)(end - at) : strlen(at);
        if (length + 1 + file_length < sizeof(candidate)) {
            memcpy(candidate, at, length);
            size_t used = length;
            if (length == 0)
                candidate[used++] = '.';
            candidate[used++] = '/';
            memcpy(candidate + used, file, file_length + 1);
            (void)execve(candidate, argv, envp);
            if (errno == EACCES)
                denied = true;
            else if (errno != ENOENT && errno != ENOTDIR)
                return -1;
        }
        if (end == NULL)
            break;
        at = end + 1;
    }
    return (int)shim_return(denied ? -EACCES : -ENOENT);
}

int execvp(const char *file, char *const argv[])
{
    return execvpe(file, argv, environ);
}

/* Collects execl's NULL-terminated argument list; the envp after the NULL if wanted. */
static int exec_list(const char *path, const char *first, va_list arguments, bool with_envp,
                     bool search)
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
    return search ? execvpe(path, argv, envp) : execve(path, argv, envp);
}

int execl(const char *path, const char *first, ...)
{
    va_list arguments;
    va_start(arguments, first);
    int result = exec_list(path, first, arguments, false, false);
    va_end(arguments);
    return result;
}

int execlp(const char *file, const char *first, ...)
{
    va_list arguments;
    va_start(arguments, first);
    int result = exec_list(file, first, arguments, false, true);
    va_end(arguments);
    return result;
}

int execle(const char *path, const char *first, ...)
{
    va_list arguments;
    va_start(arguments, first);
    int result = exec_list(path, first, arguments, true, false);
    va_end(arguments);
    return result;
}
