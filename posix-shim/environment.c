/* posix-shim's environment calls: clearenv (newlib has none), and setenv and unsetenv with
 * glibc's checks over newlib's _setenv_r and _unsetenv_r (newlib accepts an empty name). */
#include <errno.h>
#include <reent.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int _setenv_r(struct _reent *reent, const char *name, const char *value, int overwrite);
int _unsetenv_r(struct _reent *reent, const char *name);

/* A name setenv and unsetenv accept: not NULL, not empty, without '='. */
static int environment_name_valid(const char *name)
{
    if (name == NULL || name[0] == '\0' || strchr(name, '=') != NULL) {
        errno = EINVAL;
        return 0;
    }
    return 1;
}

int setenv(const char *name, const char *value, int overwrite)
{
    if (!environment_name_valid(name))
        return -1;
    return _setenv_r(_REENT, name, value, overwrite);
}

int unsetenv(const char *name)
{
    if (!environment_name_valid(name))
        return -1;
    return _unsetenv_r(_REENT, name);
}

/* Empties the environment in place: newlib's setenv may later realloc the array it allocated, so
 * the array itself stays and only its first slot ends it. */
int clearenv(void)
{
    static char *empty[1];
    if (environ == NULL)
        environ = empty;
    else
        environ[0] = NULL;
    return 0;
}
