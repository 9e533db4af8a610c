/* posix-shim program start and end: start block or bootinfo, stack, descriptors, signals, main. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <aramid/startinfo.h>

#include "fd.h"
#include "pthread_internal.h"
#include "shim.h"
#include "vfs.h"

/* The program's stack, demand-zero, RLIMIT_STACK's soft limit as proc passed it (Linux's 8 MiB
 * default without one, or when it is unlimited), at least START_STACK_MIN and at most
 * START_STACK_MAX (the whole size is charged to the memory quota); the unmapped guard page
 * libsys leaves after every mapping lies just below it. */
#define START_STACK_SIZE (8ul << 20)
#define START_STACK_MIN (64ul << 10)
#define START_STACK_MAX (256ul << 20)
/* Exit status when the program cannot be started (bad start block, no memory). */
#define START_FAILURE 127

bool shim_started_by_proc;
const struct aramid_bootinfo *shim_bootinfo;
aramid_handle_t shim_self_space;

/* A child of proc: its own handles in bootinfo form (for aramid_posix_bootinfo), no modules. */
static struct aramid_bootinfo start_child_bootinfo;
static struct aramid_startinfo start_info;
static char *start_root_argv[2];
static char *start_root_envp[1];
/* RLIMIT_STACK and RLIMIT_NOFILE's soft limits from the auxv (proc's children). */
static unsigned long start_stack_size = START_STACK_SIZE;
static unsigned long start_descriptor_limit = FD_MAX;
static unsigned long start_cpu_soft = ~0ul, start_cpu_hard = ~0ul;

extern int main(int argc, char **argv, char **envp);
extern void __libc_init_array(void);
extern void __libc_fini_array(void);
__attribute__((noreturn)) void shim_stack_switch(unsigned long top, void (*function)(void));
__attribute__((noreturn)) void shim_start(unsigned long argument);

/* newlib's __libc_init_array and __libc_fini_array call these; gcc 12 uses .init_array. */
void _init(void)
{
}

void _fini(void)
{
}

static void start_print(const char *text)
{
    shim_console_write(SHIM_CONSOLE_STDERR, text, strlen(text));
}

void shim_fail(const char *reason)
{
    start_print("posix-shim: ");
    start_print(reason);
    start_print("\n");
    shim_exit_process(START_FAILURE);
}

void shim_exit_process(int status)
{
    vfs_exit();
    if (shim_started_by_proc)
        aramid_proc_exit(status & 0xff);
    for (;;)
        sys_process_exit(status & 0xff);
}

void shim_exit_signal(int signal)
{
    vfs_exit();
    if (shim_started_by_proc)
        aramid_proc_exit_signal(signal);
    for (;;)
        sys_process_exit(128 + signal); /* the root task: the kernel's code for a signal */
}

/* The bootinfo view of a proc child's own handles (aramid_proc_self). */
static void start_child_handles(void)
{
    start_child_bootinfo.magic = ARAMID_BOOTINFO_MAGIC;
    start_child_bootinfo.self_process = aramid_proc_self.process;
    start_child_bootinfo.self_space = aramid_proc_self.space;
    shim_bootinfo = &start_child_bootinfo;
    shim_self_space = aramid_proc_self.space;
}

void shim_fork_child(void)
{
    start_child_handles(); /* proc rewrote aramid_proc_self with the child's handles */
    console_tty_fork_child();
    signal_fork_child();
    timer_fork_child();
    rlimit_fork_child();
}

/* The root module's name (init=NAME, else the first module): argv[0] of a root task. */
static char *start_root_name(void)
{
    static char name[ARAMID_BOOTINFO_NAME_MAX];
    const char *cmdline = shim_bootinfo->cmdline;
    size_t cmdline_length = strnlen(cmdline, ARAMID_BOOTINFO_CMDLINE_MAX);
    for (size_t i = 0; i < cmdline_length;) {
        size_t word_end = i;
        while (word_end < cmdline_length && cmdline[word_end] != ' ')
            word_end++;
        if (word_end - i > 5 && strncmp(cmdline + i, "init=", 5) == 0) {
            size_t length = word_end - i - 5;
            if (length >= sizeof(name))
                length = sizeof(name) - 1;
            memcpy(name, cmdline + i + 5, length);
            return name;
        }
        i = word_end + 1;
    }
    if (shim_bootinfo->module_count > 0)
        strncpy(name, shim_bootinfo->modules[0].name, sizeof(name) - 1);
    return name;
}

__attribute__((noreturn)) static void start_on_program_stack(void)
{
    fd_table_init();
    vfs_exec_start(start_info.vfs_token); /* descriptors an execve kept, even above the limit */
    fd_limit_set(start_descriptor_limit);
    signal_init(start_info.signals_blocked, start_info.signals_ignored);
    rlimit_cpu_start(start_cpu_soft, start_cpu_hard);
    environ = start_info.envp;
    atexit(__libc_fini_array);
    __libc_init_array();
    exit(main((int)start_info.argc, start_info.argv, start_info.envp));
}

/* The limits proc put in the auxv (aramid/startinfo.h). */
static void start_read_limits(const struct aramid_auxv *auxv)
{
    for (size_t i = 0; auxv != NULL && auxv[i].type != ARAMID_AT_NULL; i++) {
        if (auxv[i].type == ARAMID_AT_ARAMID_RLIMIT_NOFILE) {
            start_descriptor_limit = auxv[i].value;
        } else if (auxv[i].type == ARAMID_AT_ARAMID_RLIMIT_CPU) {
            start_cpu_soft = auxv[i].value;
        } else if (auxv[i].type == ARAMID_AT_ARAMID_RLIMIT_CPU_HARD) {
            start_cpu_hard = auxv[i].value;
        } else if (auxv[i].type == ARAMID_AT_ARAMID_RLIMIT_STACK) {
            unsigned long size = auxv[i].value;
            if (size > START_STACK_MAX)
                size = START_STACK_MAX; /* RLIM_INFINITY included */
            if (size < START_STACK_MIN)
                size = START_STACK_MIN;
            start_stack_size = size & ~(SHIM_PAGE_SIZE - 1);
        }
    }
}

/*
 * rdi from crt0: the kernel's bootinfo (root task; argv is { NAME }, the environment empty),
 * or proc's start block (argc, argv, envp, auxv: aramid/startinfo.h).
 */
void shim_start(unsigned long argument)
{
    const struct aramid_bootinfo *bootinfo = (const struct aramid_bootinfo *)argument;
    bool root = bootinfo != NULL && bootinfo->magic == ARAMID_BOOTINFO_MAGIC;
    /* aramid_start and shim_fail use no errno: they may run before the TLS exists. */
    if (!root && (aramid_start(argument, &start_info) < 0 || aramid_proc_self.signals <= 0))
        shim_fail("no start block or boot information");
    shim_self_space = root ? bootinfo->self_space : aramid_proc_self.space;
    pthread_thread_init_main(); /* TLS and errno, before anything may use them */
    if (root) {
        shim_bootinfo = bootinfo;
        start_root_argv[0] = start_root_name();
        start_info.argc = 1;
        start_info.argv = start_root_argv;
        start_info.envp = start_root_envp;
    } else {
        shim_started_by_proc = true;
        shim_console_token = start_info.console_token;
        process_children_start(start_info.children);
        process_ids_start(start_info.auxv);
        hostname_start(start_info.auxv);
        start_child_handles();
        start_read_limits(start_info.auxv);
    }
    long stack = aramid_memory_map(shim_self_space, start_stack_size,
                                   ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    if (stack < 0 && start_stack_size > START_STACK_SIZE) {
        start_stack_size = START_STACK_SIZE; /* a large limit the memory quota cannot back */
        stack = aramid_memory_map(shim_self_space, start_stack_size,
                                  ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    }
    if (stack < 0)
        shim_fail("no memory for the stack");
    shim_stack_switch((unsigned long)stack + start_stack_size, start_on_program_stack);
}
