/* SDK test: the exit status reaches aramid-run, through exit() or by returning from main. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void say_goodbye(void)
{
    printf("atexit handler ran\n");
}

int main(int argc, char **argv)
{
    atexit(say_goodbye);
    printf("buffered without a newline...");
    if (argc > 1 && strcmp(argv[1], "abort") == 0)
        abort();
    if (argc > 1 && strcmp(argv[1], "exit") == 0)
        exit(42);
    return 42;
}
