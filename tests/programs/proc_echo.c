/* Test program (run by proc): prints its argv and envp, checks its pid against PID= and its
 * parent against PPID= from the environment (an exec keeps both); exits 0, or 3 on a mismatch. */
#include <aramid/proto/proc.h>
#include <aramid/sys.h>

#include "kstring.h"

/* The number after name= in envp, or -1. */
static long echo_env_number(char **envp, const char *name)
{
    size_t length = strlen(name);
    for (long i = 0; envp[i] != NULL; i++) {
        if (strncmp(envp[i], name, length) != 0 || envp[i][length] != '=')
            continue;
        long value = 0;
        for (const char *c = envp[i] + length + 1; *c >= '0' && *c <= '9'; c++)
            value = value * 10 + (*c - '0');
        return value;
    }
    return -1;
}

int aramid_main(unsigned long argument)
{
    struct aramid_startinfo info;
    long result = aramid_start(argument, &info);
    if (result < 0) {
        aramid_printf("echo: bad start block: %ld\n", result);
        return 2;
    }
    aramid_printf("echo: argc=%ld\n", info.argc);
    for (long i = 0; i < info.argc; i++)
        aramid_printf("echo: argv[%ld]=%s\n", i, info.argv[i]);
    for (long i = 0; info.envp[i] != NULL; i++)
        aramid_printf("echo: envp[%ld]=%s\n", i, info.envp[i]);
    long pid = aramid_proc_getpid(), ppid = aramid_proc_getppid();
    long want_pid = echo_env_number(info.envp, "PID");
    long want_ppid = echo_env_number(info.envp, "PPID");
    aramid_printf("echo: pid %ld ppid %ld\n", pid, ppid);
    if ((want_pid >= 0 && pid != want_pid) || (want_ppid >= 0 && ppid != want_ppid) ||
        pid != info.self.pid)
        return 3;
    return 0;
}
