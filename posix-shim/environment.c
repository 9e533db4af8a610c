/* posix-shim's clearenv (newlib has getenv, setenv, unsetenv and putenv, not clearenv). */
#include <stdlib.h>

extern char **environ;

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
