/* kernel_main: the order in which the kernel brings itself up after boot.S. */
#include <stdbool.h>
#include <stdint.h>

#include "backtrace.h"
#include "cmdline.h"
#include "console.h"
#include "futex.h"
#include "console_input.h"
#include "cpu.h"
#include "entry.h"
#include "fault_inject.h"
#include "fpu.h"
#include "kstring.h"
#include "layout.h"
#include "machine.h"
#include "memory.h"
#include "multiboot2.h"
#include "percpu.h"
#include "root_task.h"
#include "sched.h"
#include "serial.h"
#include "thread.h"
#include "timer.h"
#include "trap.h"
#include "vm.h"

#define ARAMID_VERSION "0.1.0"
#define KERNEL_SYMBOLS_MODULE "kernel-symbols"

static struct boot_info boot_info;

/* Kernel command-line options (docs/running.md lists them). */
static struct {
    bool shutdown;
    size_t fault;
    uint64_t ticks;
    char init[128];
    uint64_t loglevel;
    size_t console_input; /* index into console_input_names */
} options = { .loglevel = 4 };

enum { CONSOLE_INPUT_ON, CONSOLE_INPUT_OFF };
static const char *const console_input_names[] = { "on", "off", NULL };

static const struct cmdline_option option_table[] = {
    { .name = "shutdown", .type = CMDLINE_FLAG, .flag = { &options.shutdown } },
    { .name = "fault", .type = CMDLINE_ENUM, .choice = { &options.fault, fault_kind_names } },
    { .name = "ticks", .type = CMDLINE_U64, .u64 = { &options.ticks, 1, 100000 } },
    { .name = "init", .type = CMDLINE_STRING, .string = { options.init, sizeof(options.init) } },
    { .name = "loglevel", .type = CMDLINE_U64, .u64 = { &options.loglevel, 0, 7 } },
    { .name = "console_input",
      .type = CMDLINE_ENUM,
      .choice = { &options.console_input, console_input_names } },
};

static void report_cmdline_problem(void *ctx, const char *message)
{
    (void)ctx;
    kprintf("%s\n", message);
}

static const char *yes_no(bool value)
{
    return value ? "yes" : "no";
}

static void print_banner(void)
{
    const struct cpu_features *f = &cpu_features;
    kprintf("Aramid " ARAMID_VERSION " (x86-64 microkernel)\n");
    kprintf("cpu: %s \"%s\"\n", f->vendor, f->brand);
    kprintf("cpu features: pcid=%s invpcid=%s smep=%s smap=%s x2apic=%s tsc-deadline=%s "
            "xsave=%s nx=%s\n",
            yes_no(f->pcid), yes_no(f->invpcid), yes_no(f->smep), yes_no(f->smap),
            yes_no(f->x2apic), yes_no(f->tsc_deadline), yes_no(f->xsave), yes_no(f->nx));
}

static void load_kernel_symbols(void)
{
    for (size_t i = 0; i < boot_info.module_count; i++) {
        const struct boot_module *m = &boot_info.modules[i];
        if (strcmp(m->name, KERNEL_SYMBOLS_MODULE) == 0) {
            backtrace_set_symbols(phys_to_virt(m->start), m->end - m->start);
            return;
        }
    }
    kprintf("boot: no %s module, backtraces will show addresses only\n", KERNEL_SYMBOLS_MODULE);
}

/* Idles with HLT until the tick counter reaches target, printing each tick. */
static void wait_for_ticks(uint64_t target)
{
    uint64_t seen = timer_ticks();
    while (seen < target) {
        interrupts_enable_and_halt();
        interrupts_disable();
        uint64_t now = timer_ticks();
        if (now != seen)
            kprintf("timer: tick %lu\n", now);
        seen = now;
    }
}

void kernel_main(uint32_t magic, uint64_t info_phys);

void kernel_main(uint32_t magic, uint64_t info_phys)
{
    serial_init();
    percpu_init_boot_cpu();
    idt_init();
    if (magic != MULTIBOOT2_BOOTLOADER_MAGIC)
        kernel_panic("not started by a multiboot2 loader (magic %#x)", magic);
    if (multiboot2_parse(phys_to_virt(info_phys), BOOT_PHYS_MAP_SIZE - info_phys, &boot_info))
        kprintf("boot: malformed multiboot2 information, using what parsed\n");
    boot_info.info_phys = info_phys;
    load_kernel_symbols();
    cpu_detect_features();
    print_banner();
    kprintf("cmdline: \"%s\"\n", boot_info.cmdline);
    cmdline_parse(boot_info.cmdline, option_table, sizeof(option_table) / sizeof(option_table[0]),
                  report_cmdline_problem, NULL);

    memory_init(&boot_info);
    memory_print_summary();
    vm_init();
    fpu_init();
    syscall_arch_init();
    thread_init_caches();
    sched_init();
    futex_init();
    timer_init();
    console_input_init(options.console_input == CONSOLE_INPUT_ON);

    fault_inject((enum fault_kind)options.fault);
    if (options.ticks)
        wait_for_ticks(options.ticks);
    if (options.shutdown) {
        kprintf("shutdown: requested on the command line\n");
        machine_exit(KERNEL_EXIT_SUCCESS);
    }
    if (!root_task_start(&boot_info, options.init))
        kprintf("idle: no root task to run; halting with interrupts on\n");
    sched_start();
}
