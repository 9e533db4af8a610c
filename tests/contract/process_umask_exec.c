/* Processes: the file mode creation mask is inherited by a fork child and kept across execve
 * (POSIX), and files the new image creates get it. */
#include <fcntl.h>
#include <sys/stat.h>

#include "contract.h"

/* The mode a file created with 0666 gets under the current mask. */
static void show_created(const char *what)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/contract_umask_%d", (int)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
    struct stat status;
    if (fd < 0 || fstat(fd, &status) != 0)
        printf("%s: open failed %s\n", what, errno_name(errno));
    else
        printf("%s: a file made with 0666 has %03o\n", what, (unsigned)(status.st_mode & 0777));
    if (fd >= 0)
        close(fd);
    unlink(path);
}

int main(int argc, char **argv)
{
    contract_start();
    const char *self = getenv("CONTRACT_SELF");
    if (argc == 2 && strcmp(argv[1], "second") == 0) {
        mode_t kept = umask(022);
        printf("after execve: umask %03o\n", (unsigned)kept);
        umask(kept);
        show_created("after execve");
        return contract_pass();
    }
    printf("at start: umask %03o\n", (unsigned)umask(027));
    show_created("umask 027");
    pid_t child = fork();
    if (child == 0) {
        printf("fork child: umask %03o\n", (unsigned)umask(027));
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    umask(077);
    char self_text[600];
    snprintf(self_text, sizeof self_text, "CONTRACT_SELF=%s", self != NULL ? self : "");
    char *new_argv[] = {argv[0], "second", NULL};
    char *new_envp[] = {self_text, NULL};
    execve(self != NULL ? self : "", new_argv, new_envp);
    printf("execve failed: %s\n", errno_name(errno));
    return 1;
}
