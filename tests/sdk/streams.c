/* SDK test: stdout and stderr reach aramid-run's stdout and stderr apart, from children too. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define STREAMS_BIG 10240

static void streams_write(int descriptor, const char *text)
{
    size_t length = strlen(text);
    if (write(descriptor, text, length) != (ssize_t)length)
        _exit(10);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exec") == 0) {
        streams_write(2, "exec child: stderr\n");
        streams_write(1, "exec child: stdout\n");
        return 0;
    }
    streams_write(1, "out 1\n");
    streams_write(2, "err 1\n");
    streams_write(1, "out 2 without newline");
    streams_write(2, "err 2 without newline");
    streams_write(1, "; out 2 ends\n");
    streams_write(2, "; err 2 ends\r\n");
    /* Looks like a frame, but its token is not this run's: stdout keeps it as it is. */
    streams_write(1, "\033]aramid-stderr:0123456789abcdef:5;fake!\a\n");
    static char big[STREAMS_BIG + 1];
    for (size_t i = 0; i < STREAMS_BIG; i++)
        big[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
    if (write(2, big, STREAMS_BIG) != STREAMS_BIG)
        return 11;
    fprintf(stderr, "stdio stderr %d\n", 3);
    printf("stdio stdout %d\n", 3);
    fflush(stdout);

    pid_t child = fork();
    if (child == 0) {
        streams_write(2, "fork child: stderr\n");
        streams_write(1, "fork child: stdout\n");
        _exit(0);
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child || status != 0)
        return 12;
    child = fork();
    if (child == 0) {
        char *child_argv[] = {argv[0], "exec", NULL};
        char *child_envp[] = {NULL};
        execve(argv[0], child_argv, child_envp);
        _exit(13);
    }
    if (child < 0 || waitpid(child, &status, 0) != child || status != 0)
        return 14;
    streams_write(2, "err last");
    streams_write(1, "out last");
    return 0;
}
