/* The benchmark suite's main program: runs every case (or the named ones) and prints BENCH lines.
 */
#include "bench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static const struct bench_group *const groups[] = {
    &bench_process_group, &bench_file_group,  &bench_memory_group,
    &bench_signal_group,  &bench_event_group, &bench_ipc_group, &bench_thread_group,
    &bench_time_group,
    &bench_posixipc_group,
};

static uint64_t bench_now_ns(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
        perror("clock_gettime(CLOCK_MONOTONIC)");
        exit(1);
    }
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/*
 * Runs one case: setup, a warm-up of a tenth of the iterations (first-touch faults and cold caches
 * stay out of the figure), then the timed loop with clock_gettime around all of it.
 */
static void bench_run_case(const struct bench_case *bench, long iterations)
{
    void *state = NULL;
    const char *reason = bench->setup != NULL ? bench->setup(&state) : NULL;
    uint64_t start = 0, end = 0;

    for (long i = 0; reason == NULL && i < iterations / 10; i++)
        reason = bench->step(state);
    if (reason == NULL) {
        start = bench_now_ns();
        for (long i = 0; reason == NULL && i < iterations; i++)
            reason = bench->step(state);
        if (reason == NULL && bench->finish != NULL)
            reason = bench->finish(state);
        end = bench_now_ns();
    }
    if (bench->teardown != NULL && state != NULL)
        bench->teardown(state);
    if (reason != NULL)
        printf("BENCH_SKIP %s %s\n", bench->name, reason);
    else
        printf("BENCH %s %ld %llu %.2f\n", bench->name, iterations,
               (unsigned long long)(end - start), (double)(end - start) / (double)iterations);
    fflush(stdout);
}

static const struct bench_case *bench_find(const char *name)
{
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
        for (size_t c = 0; c < groups[g]->count; c++)
            if (strcmp(groups[g]->cases[c].name, name) == 0)
                return &groups[g]->cases[c];
    return NULL;
}

/* With no names every case runs; otherwise only the named ones. */
static int bench_selected(const char *name, char **names, int name_count)
{
    if (name_count == 0)
        return 1;
    for (int i = 0; i < name_count; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

static void bench_usage(const char *program)
{
    fprintf(stderr, "usage: %s [--quick|--full] [--list] [NAME...]\n", program);
}

/* As PID 1 (the Linux initramfs) there is nobody to return to: sync and power the machine off. */
static void bench_power_off_if_init(void)
{
    if (getpid() != 1)
        return;
    sync();
    if (reboot(RB_POWER_OFF) != 0)
        perror("reboot(RB_POWER_OFF)");
}

/*
 * Options may come anywhere. A word that names no benchmark is reported and ignored: as Linux's
 * init the suite also receives the boot parameters the kernel did not recognize (nokaslr).
 */
int main(int argc, char **argv)
{
    int quick = 0, list = 0, name_count = 0;
    char **names = calloc((size_t)argc, sizeof(char *));
    if (names == NULL) {
        perror("calloc");
        bench_power_off_if_init();
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            quick = 1;
        } else if (strcmp(argv[i], "--full") == 0) {
            quick = 0;
        } else if (strcmp(argv[i], "--list") == 0) {
            list = 1;
        } else if (argv[i][0] == '-') {
            bench_usage(argv[0]);
            bench_power_off_if_init();
            return 2;
        } else if (bench_find(argv[i]) != NULL) {
            names[name_count++] = argv[i];
        } else {
            fprintf(stderr, "bench: ignoring \"%s\": no such benchmark\n", argv[i]);
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    struct utsname system;
    if (uname(&system) != 0) {
        perror("uname");
        bench_power_off_if_init();
        return 1;
    }
    if (!list)
        printf("BENCH_BEGIN %s %s %s %s\n", system.sysname, system.release, system.machine,
               quick ? "quick" : "full");
    int status = 0;
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        for (size_t c = 0; c < groups[g]->count; c++) {
            const struct bench_case *bench = &groups[g]->cases[c];
            if (!bench_selected(bench->name, names, name_count))
                continue;
            if (list)
                printf("%s\n", bench->name);
            else
                bench_run_case(bench, quick ? bench->quick_iterations : bench->full_iterations);
        }
    }
    bench_scratch_remove();
    if (!list)
        printf("BENCH_END %d\n", status);
    fflush(stdout);
    free(names);
    bench_power_off_if_init();
    return status;
}
