/* popen, pclose, system, posix_spawn(p) with file actions and attributes, vfork, wait3, the
 * environment calls across execve, getgroups and brk, as Linux's glibc does them. */
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "contract.h"

extern char **environ;

/* The spawned image: reports what it was given. */
static int child_image(const char *mode)
{
    if (strcmp(mode, "fds") == 0) {
        char line[64] = {0};
        ssize_t got = read(0, line, sizeof(line) - 1);
        printf("child: stdin %zd [%s]\n", got, line);
        printf("child: fd 15 %s, fd 16 %s\n", fcntl(15, F_GETFD) >= 0 ? "open" : "closed",
               fcntl(16, F_GETFD) >= 0 ? "open" : "closed");
        dprintf(17, "written through fd 17\n");
    } else if (strcmp(mode, "signals") == 0) {
        sigset_t mask;
        sigprocmask(SIG_BLOCK, NULL, &mask);
        struct sigaction action;
        sigaction(SIGUSR2, NULL, &action);
        printf("child: SIGUSR1 blocked %d, SIGUSR2 %s\n", sigismember(&mask, SIGUSR1),
               action.sa_handler == SIG_IGN ? "ignored" : "default");
    } else if (strcmp(mode, "environment") == 0) {
        const char *kept = getenv("SPAWN_KEPT");
        printf("child: SPAWN_KEPT=%s, SPAWN_GONE %s, PUT=%s\n", kept ? kept : "(none)",
               getenv("SPAWN_GONE") ? "set" : "unset", getenv("PUT") ? getenv("PUT") : "(none)");
    }
    return 3;
}

static void popen_and_system(void)
{
    R(system(NULL) != 0);
    int status = system("exit 7");
    contract_status("system(exit 7)", status);
    status = system("kill -TERM $$");
    contract_status("system(kill self)", status);
    FILE *reader = popen("echo one; echo two", "r");
    char line[64];
    while (reader != NULL && fgets(line, sizeof line, reader) != NULL)
        printf("popen r: %s", line);
    if (reader != NULL)
        contract_status("pclose r", pclose(reader));
    FILE *writer = popen("read a; read b; echo \"shell read [$a] [$b]\"; exit 4", "w");
    if (writer != NULL) {
        fprintf(writer, "first\nsecond\n");
        contract_status("pclose w", pclose(writer));
    }
    errno = 0;
    FILE *bad = popen("true", "x");
    printf("popen bad mode: %s %s\n", bad == NULL ? "NULL" : "stream", errno_name(errno));
}

static void spawn_with_actions(const char *self)
{
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0)
        return;
    (void)write(in[1], "to stdin", 8);
    close(in[1]);
    int spare = open("/dev/null", O_RDONLY);
    dup2(spare, 16);
    close(spare);
    posix_spawn_file_actions_t actions;
    R(posix_spawn_file_actions_init(&actions));
    R(posix_spawn_file_actions_adddup2(&actions, in[0], 0));
    R(posix_spawn_file_actions_addopen(&actions, 15, "/dev/null", O_RDONLY, 0));
    R(posix_spawn_file_actions_addclose(&actions, 16));
    R(posix_spawn_file_actions_adddup2(&actions, out[1], 17));
    printf("addclose(-1) = %s\n", errno_name(posix_spawn_file_actions_addclose(&actions, -1)));
    char *argv[] = {"libc_popen_spawn", "fds", NULL};
    pid_t child = -1;
    int result = posix_spawn(&child, self, &actions, NULL, argv, environ);
    close(in[0]);
    close(out[1]);
    contract_reap("spawn fds", child);
    printf("posix_spawn with file actions: %s\n", errno_name(result)); /* after the child's */
    char text[64] = {0};
    ssize_t got = read(out[0], text, sizeof(text) - 1);
    printf("parent read %zd: %s", got, text);
    close(out[0]);
    close(16);
    R(posix_spawn_file_actions_destroy(&actions));

    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/no/such/file", O_RDONLY, 0);
    printf("spawn, open fails: %s\n",
           errno_name(posix_spawn(&child, self, &actions, NULL, argv, environ)));
    posix_spawn_file_actions_destroy(&actions);
    char *missing[] = {"missing", NULL};
    printf("spawn of nothing: %s\n",
           errno_name(posix_spawn(&child, "/no/such/program", NULL, NULL, missing, environ)));
    printf("spawnp of nothing: %s\n", errno_name(posix_spawnp(&child, "no-such-program-anywhere",
                                                              NULL, NULL, missing, environ)));
    R(waitpid(-1, NULL, WNOHANG)); /* no child is left by a failed spawn */
}

static void spawn_with_attributes(const char *self)
{
    posix_spawnattr_t attributes;
    R(posix_spawnattr_init(&attributes));
    sigset_t mask, defaults;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGUSR2);
    signal(SIGUSR2, SIG_IGN);
    R(posix_spawnattr_setsigmask(&attributes, &mask));
    R(posix_spawnattr_setsigdefault(&attributes, &defaults));
    R(posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK));
    short flags = 0;
    R(posix_spawnattr_getflags(&attributes, &flags) == 0 && flags == POSIX_SPAWN_SETSIGMASK);
    char *argv[] = {"libc_popen_spawn", "signals", NULL};
    pid_t child;
    int result = posix_spawn(&child, self, NULL, &attributes, argv, environ);
    contract_reap("spawn mask only", child);
    printf("posix_spawn = %d\n", result);
    R(posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));
    result = posix_spawn(&child, self, NULL, &attributes, argv, environ);
    contract_reap("spawn mask and defaults", child);
    printf("posix_spawn = %d\n", result);
    signal(SIGUSR2, SIG_DFL);
    R(posix_spawnattr_destroy(&attributes));
    char *shell[] = {"sh", "-c", "exit 9", NULL};
    R(posix_spawnp(&child, "sh", NULL, NULL, shell, environ));
    contract_reap("spawnp sh", child);
}

static void environment_and_others(const char *self)
{
    R(setenv("SPAWN_KEPT", "yes", 1));
    R(setenv("SPAWN_GONE", "soon", 1));
    R(unsetenv("SPAWN_GONE"));
    static char put[] = "PUT=by putenv";
    R(putenv(put));
    R(setenv("", "x", 1));
    R(setenv("A=B", "x", 1));
    R(unsetenv("A=B"));
    pid_t child = contract_fork();
    if (child == 0) {
        execl(self, "libc_popen_spawn", "environment", (char *)NULL);
        _exit(1);
    }
    contract_reap("execl with environ", child);

    child = vfork();
    if (child == 0)
        _exit(5);
    contract_reap("vfork _exit", child);
    child = vfork();
    if (child == 0) {
        execl(self, "libc_popen_spawn", "environment", (char *)NULL);
        _exit(1);
    }
    int status;
    struct rusage usage;
    pid_t got = wait3(&status, 0, &usage);
    printf("wait3: %s\n", got == child ? "the vfork child" : "other");
    contract_status("vfork exec", status);
    R(wait3(&status, WNOHANG, NULL));

    R(getgroups(0, NULL) >= 0);
    R(getgroups((int)(long)contract_address((uintptr_t)-1), NULL));
    void *start = sbrk(0);
    R(brk((char *)start + 8192));
    printf("brk moved the break: %s\n", sbrk(0) == (char *)start + 8192 ? "yes" : "no");
    R(brk(start));
    printf("brk back: %s\n", sbrk(0) == start ? "yes" : "no");
}

int main(int argc, char **argv)
{
    contract_start();
    if (argc == 2)
        return child_image(argv[1]);
    const char *self = getenv("CONTRACT_SELF");
    if (self == NULL)
        return 1;
    popen_and_system();
    spawn_with_actions(self);
    spawn_with_attributes(self);
    environment_and_others(self);
    return contract_pass();
}
