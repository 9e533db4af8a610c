/* SDK test: argv with spaces, empty and odd strings, and envp/environ/getenv/setenv. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp)
{
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=[%s]\n", i, argv[i]);
    if (argv[argc] != NULL)
        return 1;
    for (int i = 0; envp[i] != NULL; i++)
        printf("envp[%d]=[%s]\n", i, envp[i]);
    if (environ != envp)
        return 2;
    const char *greeting = getenv("GREETING");
    printf("GREETING=%s\n", greeting ? greeting : "(unset)");
    if (setenv("ADDED", "yes", 1) != 0)
        return 3;
    printf("ADDED=%s\n", getenv("ADDED"));
    argv[0][0] = 'X'; /* argument strings are writable */
    printf("pid>1=%d\n", getpid() > 1); /* a child of init (pid 1) */
    return 0;
}
