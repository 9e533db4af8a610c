/* Test program (root task): children that fault in user mode are killed (exit code 139) and the
 * parent lives on: a NULL read, a write to the kernel image, a jump to a non-canonical address. */
#include <aramid/sys.h>

#define FAULT_CHILD_FLAG (1ul << 63)
/* What a process killed by a fault reports to process_wait: 128 + 11, as a shell shows SIGSEGV. */
#define FAULT_KILLED_CODE 139
/* What a child reports if its fault did not kill it. */
#define FAULT_SURVIVED_CODE 100

enum fault_kind {
    FAULT_READ_NULL = 1,
    FAULT_WRITE_KERNEL,
    FAULT_JUMP_NON_CANONICAL,
    FAULT_KIND_COUNT,
};

static const char *const fault_names[FAULT_KIND_COUNT] = {
    [FAULT_READ_NULL] = "read of address 0",
    [FAULT_WRITE_KERNEL] = "write to 0xffffffff80100000",
    [FAULT_JUMP_NON_CANONICAL] = "jump to 0x0000800000000000",
};

/* The faults are written in assembly so the compiler cannot reason about them. */
static int fault_child(enum fault_kind kind)
{
    unsigned long value = 0;
    if (kind <= 0 || kind >= FAULT_KIND_COUNT)
        return 1;
    aramid_printf("fault child: %s\n", fault_names[kind]);
    switch (kind) {
    case FAULT_READ_NULL:
        __asm__ volatile("mov (%1), %0" : "=r"(value) : "r"(0ul) : "memory");
        break;
    case FAULT_WRITE_KERNEL:
        __asm__ volatile("movq $1, (%0)" : : "r"(0xffffffff80100000ul) : "memory");
        break;
    case FAULT_JUMP_NON_CANONICAL:
        __asm__ volatile("jmp *%0" : : "r"(0x0000800000000000ul) : "memory");
        break;
    default:
        break;
    }
    aramid_printf("fault child: survived the %s (read %#lx)\n", fault_names[kind], value);
    return FAULT_SURVIVED_CODE;
}

int aramid_main(unsigned long argument)
{
    if (argument & FAULT_CHILD_FLAG)
        return fault_child((enum fault_kind)(argument & ~FAULT_CHILD_FLAG));
    const struct aramid_bootinfo *bootinfo = (const struct aramid_bootinfo *)argument;
    if (bootinfo == NULL || bootinfo->magic != ARAMID_BOOTINFO_MAGIC) {
        aramid_printf("faults: bad bootinfo\n");
        return 1;
    }

    int failures = 0;
    for (int kind = FAULT_READ_NULL; kind < FAULT_KIND_COUNT; kind++) {
        struct aramid_child child;
        long result = aramid_spawn_load_module(bootinfo, "fault_null", &child);
        if (result == 0)
            result = aramid_spawn_start(&child, FAULT_CHILD_FLAG | (unsigned long)kind);
        if (result < 0) {
            aramid_printf("faults: spawning the child failed with %ld\n", result);
            return 1;
        }
        long code = sys_process_wait(child.process, 0);
        aramid_printf("faults: child with %s: exit code %ld\n", fault_names[kind], code);
        if (code != FAULT_KILLED_CODE)
            failures++;
        result = aramid_child_close(&child);
        if (result < 0) {
            aramid_printf("faults: closing the child's handles failed with %ld\n", result);
            failures++;
        }
    }
    if (failures) {
        aramid_printf("faults: %d of %d children not killed as expected\n", failures,
                      FAULT_KIND_COUNT - 1);
        return 1;
    }
    aramid_printf("faults: %d children killed with code %d, parent alive\n", FAULT_KIND_COUNT - 1,
                  FAULT_KILLED_CODE);
    return 0;
}
