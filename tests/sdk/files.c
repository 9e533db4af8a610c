/* SDK test: files given with aramid-run --file, read through stdio, and writable (the vfs's tmpfs). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2)
        return 1;
    FILE *file = fopen(argv[1], "r");
    if (file == NULL) {
        perror(argv[1]);
        return 2;
    }
    char line[256];
    while (fgets(line, sizeof(line), file) != NULL)
        printf("read: %s", line);
    struct stat status;
    if (fstat(fileno(file), &status) != 0 || !S_ISREG(status.st_mode))
        return 3;
    printf("size: %ld\n", (long)status.st_size);
    fclose(file);
    if (fopen("/no/such/file", "r") != NULL || errno != ENOENT)
        return 4;
    int writable = open(argv[1], O_WRONLY | O_APPEND);
    if (writable < 0 || write(writable, "x", 1) != 1 || close(writable) != 0)
        return 5;
    int copy = dup(1);
    if (copy < 3 || write(copy, "dup: ok\n", 8) != 8 || close(copy) != 0)
        return 6;
    printf("isatty(1)=%d\n", isatty(1));
    return 0;
}
