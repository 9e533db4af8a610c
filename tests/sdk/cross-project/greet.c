/* A program of the external test project: prints its arguments and exits 0. */
#include <stdio.h>

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        printf("%s%s", argv[i], i + 1 < argc ? " " : "\n");
    return argc == 3 ? 0 : 1;
}
