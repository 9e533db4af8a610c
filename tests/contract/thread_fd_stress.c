/* Threads: the descriptor table under concurrency. 8 threads each open their own file, dup,
 * dup2 and fcntl(F_DUPFD) it and close the descriptors, 300 rounds, writing one numbered record
 * per round through a different descriptor each time; afterwards every file holds exactly its
 * records in order and the lowest free descriptor is the one before the threads. */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>

#include "contract.h"

#define THREADS 8
#define ROUNDS 300

static char directory[] = "/tmp/contract_fd_XXXXXX";
static volatile int failures;

static void *churn(void *argument)
{
    int index = (int)(intptr_t)argument;
    char name[32];
    snprintf(name, sizeof(name), "file%d", index);
    for (int round = 0; round < ROUNDS; round++) {
        int fd = open(name, O_WRONLY | O_CREAT | O_APPEND, 0600);
        int copy = dup(fd);
        int high = fcntl(fd, F_DUPFD, 100 + index * 8);
        int target = 600 + index;
        int second = dup2(copy, target);
        if (fd < 0 || copy < 0 || high < 100 + index * 8 || second != target) {
            failures++;
            continue;
        }
        char record[16];
        int length = snprintf(record, sizeof(record), "%d.%03d\n", index, round);
        int through[4] = {fd, copy, high, second};
        if (write(through[round % 4], record, (size_t)length) != length)
            failures++;
        if (close(fd) != 0 || close(copy) != 0 || close(high) != 0 || close(second) != 0)
            failures++;
    }
    return NULL;
}

int main(void)
{
    contract_start();
    contract_scratch_start(directory);
    int lowest_before = open("/dev/null", O_RDONLY);
    close(lowest_before);
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, churn, (void *)(intptr_t)i);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    printf("failed calls: %d\n", failures);
    int exact = 0;
    for (int i = 0; i < THREADS; i++) {
        char name[32], expected[16], line[16];
        snprintf(name, sizeof(name), "file%d", i);
        FILE *file = fopen(name, "r");
        int round = 0;
        while (file != NULL && fgets(line, sizeof(line), file) != NULL) {
            snprintf(expected, sizeof(expected), "%d.%03d\n", i, round);
            if (strcmp(line, expected) != 0)
                break;
            round++;
        }
        if (round == ROUNDS && file != NULL && fgetc(file) == EOF)
            exact++;
        if (file != NULL)
            fclose(file);
        unlink(name);
    }
    printf("files with exactly their records: %d of %d\n", exact, THREADS);
    int lowest_after = open("/dev/null", O_RDONLY);
    printf("lowest free descriptor unchanged: %s\n", lowest_after == lowest_before ? "yes" : "no");
    close(lowest_after);
    chdir("/");
    rmdir(directory);
    return contract_pass();
}
