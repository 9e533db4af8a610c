/* Test program (root task): a second thread spins; the main thread, which never yields or makes a
 * system call while watching, sees the spinner's counter advance, so the timer preempts. */
#include <aramid/sys.h>

/* With one CPU every change the main thread sees needs two switches: main -> spinner -> main. */
#define PREEMPT_CHANGES 20
/* Gives up after this many loop iterations (tens of seconds under TCG; the timer ticks at 100 Hz,
 * and one time slice is a few million iterations). */
#define PREEMPT_ITERATIONS_MAX (1ul << 32)

static volatile unsigned long preempt_counter;
static _Alignas(16) unsigned char preempt_stack[16384];

/* Spins forever; process_exit ends it. */
static void preempt_spin(unsigned long argument)
{
    (void)argument;
    for (;;)
        preempt_counter++;
}

int aramid_main(unsigned long bootinfo_address)
{
    const struct aramid_bootinfo *bootinfo = (const struct aramid_bootinfo *)bootinfo_address;
    if (bootinfo == NULL || bootinfo->magic != ARAMID_BOOTINFO_MAGIC) {
        aramid_printf("preempt: bad bootinfo\n");
        return 1;
    }
    long thread = aramid_thread_start(bootinfo->self_process, preempt_spin, 0, preempt_stack,
                                      sizeof(preempt_stack));
    if (thread <= 0) {
        aramid_printf("preempt: thread_start returned %ld\n", thread);
        return 1;
    }

    unsigned long last = preempt_counter, changes = 0, iterations = 0;
    while (changes < PREEMPT_CHANGES) {
        unsigned long now = preempt_counter;
        if (now != last) {
            changes++;
            last = now;
        }
        if (++iterations == PREEMPT_ITERATIONS_MAX) {
            aramid_printf("preempt: counter changed %lu times in %lu iterations\n", changes,
                          iterations);
            return 1;
        }
    }
    aramid_printf("preempt: counter advanced %d times while the main thread never yielded "
                  "(%lu iterations, counter %lu)\n",
                  PREEMPT_CHANGES, iterations, last);
    return 0;
}
