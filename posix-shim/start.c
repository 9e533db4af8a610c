/* posix-shim program start and end: stack, descriptors, argv/envp, markers, main, exit. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "fd.h"
#include "shim.h"

/* The program's stack, demand-zero like Linux's 8 MiB default; the unmapped guard page libsys
 * leaves after every mapping lies just below it. */
#define START_STACK_SIZE (8ul << 20)
/* Exit status when the program cannot be started (bad bootinfo, no memory, bad NAME.args). */
#define START_FAILURE 127
#define START_NAME_MAX ARAMID_BOOTINFO_NAME_MAX

const struct aramid_bootinfo *shim_bootinfo;
aramid_handle_t shim_self_space;

/* The run's marker token (from NAME.args), or NULL when the program runs without one. */
static const char *start_token;

extern int main(int argc, char **argv, char **envp);
extern void __libc_init_array(void);
extern void __libc_fini_array(void);
__attribute__((noreturn)) void shim_stack_switch(unsigned long top, void (*function)(void));
__attribute__((noreturn)) void shim_start(unsigned long bootinfo_address);

/* newlib's __libc_init_array and __libc_fini_array call these; gcc 12 uses .init_array. */
void _init(void)
{
}

void _fini(void)
{
}

static void start_print(const char *text)
{
    shim_console_write(text, strlen(text));
}

__attribute__((noreturn)) static void start_fail(const char *reason)
{
    start_print("posix-shim: ");
    start_print(reason);
    start_print("\n");
    shim_exit_process(START_FAILURE);
}

void shim_exit_process(int status)
{
    if (start_token != NULL) {
        /* The end marker: "aramid-sdk:TOKEN:exit:N\n" (see docs/sdk.md). */
        char digits[4];
        int value = status & 0xff, length = 0;
        do {
            digits[length++] = (char)('0' + value % 10);
            value /= 10;
        } while (value > 0);
        start_print("aramid-sdk:");
        start_print(start_token);
        start_print(":exit:");
        while (length > 0)
            shim_console_write(&digits[--length], 1);
        start_print("\n");
    }
    sys_process_exit(status & 0xff);
    __builtin_unreachable();
}

/* The root module's name: init=NAME from the kernel command line, else the first module (the
 * kernel's choice without init=). */
static void start_program_name(char name[START_NAME_MAX])
{
    const char *cmdline = shim_bootinfo->cmdline;
    size_t cmdline_length = strnlen(cmdline, ARAMID_BOOTINFO_CMDLINE_MAX);
    name[0] = '\0';
    for (size_t i = 0; i < cmdline_length;) {
        size_t word_end = i;
        while (word_end < cmdline_length && cmdline[word_end] != ' ')
            word_end++;
        if (word_end - i > 5 && strncmp(cmdline + i, "init=", 5) == 0) {
            size_t length = word_end - i - 5;
            if (length >= START_NAME_MAX)
                length = START_NAME_MAX - 1;
            memcpy(name, cmdline + i + 5, length);
            name[length] = '\0';
            return;
        }
        i = word_end + 1;
    }
    if (shim_bootinfo->module_count > 0)
        strncpy(name, shim_bootinfo->modules[0].name, START_NAME_MAX - 1);
    name[START_NAME_MAX - 1] = '\0';
}

/*
 * argv and envp from the module NAME.args, copied into private memory (the program may write
 * its argument strings); without that module argv is { NAME } and envp is empty.
 */
static void start_arguments(struct args_parsed *arguments)
{
    static char name[START_NAME_MAX + sizeof(".args")];
    static char *default_vector[3];
    start_program_name(name);
    size_t name_length = strlen(name);
    memcpy(name + name_length, ".args", sizeof(".args"));
    const struct aramid_boot_module *module = aramid_module_find(shim_bootinfo, name);
    name[name_length] = '\0';
    if (module == NULL || module->size == 0) {
        default_vector[0] = name;
        arguments->argc = 1;
        arguments->argv = default_vector;
        arguments->envp = default_vector + 2;
        arguments->token = NULL;
        return;
    }
    const void *source;
    if (aramid_module_map(shim_self_space, module, &source) < 0)
        start_fail("cannot map the arguments module");
    size_t slots = module->size + 2;
    long copy = aramid_memory_map(shim_self_space, module->size + slots * sizeof(char *),
                                  ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    if (copy < 0)
        start_fail("no memory for the arguments");
    char **vector = (char **)copy;
    char *bytes = (char *)(vector + slots);
    memcpy(bytes, source, module->size);
    if (sys_vm_unmap(shim_self_space, (unsigned long)source, SHIM_PAGE_ROUND_UP(module->size)) < 0)
        start_fail("cannot unmap the arguments module");
    if (args_parse(bytes, module->size, vector, slots, arguments) != 0)
        start_fail("malformed arguments module");
}

__attribute__((noreturn)) static void start_on_program_stack(void)
{
    struct args_parsed arguments;
    time_init();
    fd_table_init();
    start_arguments(&arguments);
    environ = arguments.envp;
    if (arguments.token != NULL) {
        /* The start marker: "aramid-sdk:TOKEN:start\n"; the program's output follows. */
        start_token = arguments.token;
        start_print("aramid-sdk:");
        start_print(start_token);
        start_print(":start\n");
    }
    atexit(__libc_fini_array);
    __libc_init_array();
    exit(main(arguments.argc, arguments.argv, arguments.envp));
}

void shim_start(unsigned long bootinfo_address)
{
    const struct aramid_bootinfo *bootinfo = (const struct aramid_bootinfo *)bootinfo_address;
    if (bootinfo == NULL || bootinfo->magic != ARAMID_BOOTINFO_MAGIC)
        start_fail("no boot information (only the root task can run yet)");
    shim_bootinfo = bootinfo;
    shim_self_space = bootinfo->self_space;
    long stack = aramid_memory_map(shim_self_space, START_STACK_SIZE,
                                   ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    if (stack < 0)
        start_fail("no memory for the stack");
    shim_stack_switch((unsigned long)stack + START_STACK_SIZE, start_on_program_stack);
}
