/* Threads: pipe and file transfers from many threads at once. 4 writer threads each move 1 MiB
 * through their own pipe to a reader thread (checksums compared); 2 threads share one pipe with
 * PIPE_BUF-sized writes that must arrive whole and in each writer's order; a thread blocked in
 * a pipe read while another thread of the process writes and reads back a file; 80 threads
 * alive at once, each moving bytes through its own pipe. The same in a fork child and in an
 * execve'd image; a killed child's blocked reader threads take nothing from the pipe
 * afterwards. */
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>

#include "contract.h"

#define PAIRS 4
static size_t pair_bytes = 1024 * 1024;
#define RECORDS 128 /* per sharing writer */
#define FILE_BYTES (200 * 1024)

static char directory[] = "/tmp/contract_vfs_XXXXXX";

/* Byte at of pair's stream. */
static unsigned char pattern(int pair, size_t at)
{
    return (unsigned char)(at * 31 + (size_t)pair * 7 + (at >> 12));
}

static uint64_t fnv(uint64_t hash, const unsigned char *bytes, size_t length)
{
    for (size_t i = 0; i < length; i++)
        hash = (hash ^ bytes[i]) * 0x100000001b3ull;
    return hash;
}

struct pair {
    int index;
    int fds[2];
    uint64_t written, read;
    size_t read_bytes;
    int errors;
};

static void *pair_writer(void *argument)
{
    struct pair *pair = argument;
    unsigned char chunk[10000];
    uint64_t hash = 0xcbf29ce484222325ull;
    for (size_t at = 0; at < pair_bytes;) {
        size_t length = pair_bytes - at < sizeof(chunk) ? pair_bytes - at : sizeof(chunk);
        for (size_t i = 0; i < length; i++)
            chunk[i] = pattern(pair->index, at + i);
        ssize_t done = write(pair->fds[1], chunk, length);
        if (done <= 0) {
            pair->errors++;
            break;
        }
        hash = fnv(hash, chunk, (size_t)done);
        at += (size_t)done;
    }
    pair->written = hash;
    close(pair->fds[1]);
    return NULL;
}

static void *pair_reader(void *argument)
{
    struct pair *pair = argument;
    unsigned char chunk[8192];
    uint64_t hash = 0xcbf29ce484222325ull;
    for (;;) {
        ssize_t done = read(pair->fds[0], chunk, sizeof(chunk));
        if (done < 0)
            pair->errors++;
        if (done <= 0)
            break;
        for (ssize_t i = 0; i < done; i++) {
            if (chunk[i] != pattern(pair->index, pair->read_bytes + (size_t)i))
                pair->errors++;
        }
        hash = fnv(hash, chunk, (size_t)done);
        pair->read_bytes += (size_t)done;
    }
    pair->read = hash;
    return NULL;
}

static void pairs(int count)
{
    static struct pair pair[PAIRS];
    memset(pair, 0, sizeof(pair));
    pthread_t writers[PAIRS], readers[PAIRS];
    for (int i = 0; i < count; i++) {
        pair[i].index = i;
        if (pipe(pair[i].fds) != 0)
            printf("pipe: %s\n", errno_name(errno));
        pthread_create(&readers[i], NULL, pair_reader, &pair[i]);
        pthread_create(&writers[i], NULL, pair_writer, &pair[i]);
    }
    for (int i = 0; i < count; i++) {
        pthread_join(writers[i], NULL);
        pthread_join(readers[i], NULL);
        close(pair[i].fds[0]);
        printf("pair %d: %zu bytes, checksums %s, errors %d\n", i, pair[i].read_bytes,
               pair[i].read == pair[i].written ? "equal" : "differ", pair[i].errors);
    }
}

/* A record: every byte of it says who wrote it and its number. */
static int shared_pipe[2];

static void *record_writer(void *argument)
{
    int writer = (int)(intptr_t)argument;
    unsigned char record[PIPE_BUF];
    for (int n = 0; n < RECORDS; n++) {
        memset(record, (writer << 7) | n, sizeof(record));
        if (write(shared_pipe[1], record, sizeof(record)) != (ssize_t)sizeof(record))
            printf("record write: short\n");
    }
    return NULL;
}

static void records(void)
{
    if (pipe(shared_pipe) != 0)
        printf("pipe: %s\n", errno_name(errno));
    pthread_t writers[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&writers[i], NULL, record_writer, (void *)(intptr_t)i);
    static unsigned char record[PIPE_BUF];
    int next[2] = {0, 0}, whole = 0, ordered = 0;
    for (int n = 0; n < 2 * RECORDS; n++) {
        size_t have = 0;
        while (have < sizeof(record)) {
            ssize_t done = read(shared_pipe[0], record + have, sizeof(record) - have);
            if (done <= 0)
                break;
            have += (size_t)done;
        }
        int same = have == sizeof(record);
        for (size_t i = 1; i < have && same; i++)
            same = record[i] == record[0];
        whole += same;
        int writer = record[0] >> 7, number = record[0] & 0x7f;
        ordered += same && number == next[writer];
        next[writer] = number + 1;
    }
    for (int i = 0; i < 2; i++)
        pthread_join(writers[i], NULL);
    printf("shared pipe: %d records, %d whole, %d in their writer's order\n", 2 * RECORDS,
           whole, ordered);
    close(shared_pipe[0]);
    close(shared_pipe[1]);
}

static int waiting_pipe[2];
static volatile int reader_started;

static void *blocked_reader(void *argument)
{
    (void)argument;
    char bytes[64] = {0};
    reader_started = 1;
    ssize_t done = read(waiting_pipe[0], bytes, sizeof(bytes));
    printf("blocked reader got: %zd bytes \"%.*s\"\n", done, (int)(done > 0 ? done : 0), bytes);
    return NULL;
}

static void file_while_reading(void)
{
    if (pipe(waiting_pipe) != 0)
        printf("pipe: %s\n", errno_name(errno));
    pthread_t reader;
    pthread_create(&reader, NULL, blocked_reader, NULL);
    while (!reader_started)
        usleep(1000);
    usleep(20000); /* the reader is in its read by now */
    static unsigned char data[FILE_BYTES], back[FILE_BYTES];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = pattern(9, i);
    int fd = open("file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    ssize_t wrote = write(fd, data, sizeof(data));
    ssize_t got = pread(fd, back, sizeof(back), 0);
    printf("file while a reader waits: wrote %zd, read back %zd, equal %s\n", wrote, got,
           memcmp(data, back, sizeof(data)) == 0 ? "yes" : "no");
    close(fd);
    if (write(waiting_pipe[1], "wake up", 7) != 7)
        printf("wake-up write failed\n");
    pthread_join(reader, NULL);
    close(waiting_pipe[0]);
    close(waiting_pipe[1]);
}

/* Many threads, all alive at once, each moving bytes through its own pipe before and after
 * the others have. */
#define CROWD 80
static pthread_barrier_t crowd_barrier;
static volatile int crowd_errors;

static int crowd_round(int fds[2], int index, int round)
{
    char out[64], in[64];
    int length = snprintf(out, sizeof(out), "thread %d round %d", index, round);
    return write(fds[1], out, (size_t)length) == length &&
           read(fds[0], in, sizeof(in)) == length && memcmp(in, out, (size_t)length) == 0;
}

static void *crowd_member(void *argument)
{
    int index = (int)(intptr_t)argument, fds[2];
    if (pipe(fds) != 0 || !crowd_round(fds, index, 0))
        __atomic_fetch_add(&crowd_errors, 1, __ATOMIC_RELAXED);
    pthread_barrier_wait(&crowd_barrier);
    if (!crowd_round(fds, index, 1))
        __atomic_fetch_add(&crowd_errors, 1, __ATOMIC_RELAXED);
    close(fds[0]);
    close(fds[1]);
    return NULL;
}

static void crowd(void)
{
    static pthread_t threads[CROWD];
    pthread_barrier_init(&crowd_barrier, NULL, CROWD);
    int created = 0;
    for (int i = 0; i < CROWD; i++)
        created += pthread_create(&threads[i], NULL, crowd_member, (void *)(intptr_t)i) == 0;
    for (int i = 0; i < CROWD; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&crowd_barrier);
    printf("%d threads at once: %d created, %d errors\n", CROWD, created, crowd_errors);
}

/* Threads of a child blocked reading a pipe when the child is killed: what the parent writes
 * afterwards is still there for it. */
static void *read_forever(void *argument)
{
    char byte;
    (void)read(*(int *)argument, &byte, 1);
    return NULL;
}

static void killed_readers(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        printf("pipe: %s\n", errno_name(errno));
    int ready[2];
    if (pipe(ready) != 0)
        printf("pipe: %s\n", errno_name(errno));
    pid_t child = fork();
    if (child == 0) {
        pthread_t threads[3];
        for (int i = 0; i < 3; i++)
            pthread_create(&threads[i], NULL, read_forever, &fds[0]);
        (void)write(ready[1], "r", 1);
        read_forever(&fds[0]);
        _exit(0);
    }
    char byte;
    (void)read(ready[0], &byte, 1);
    usleep(50000); /* its threads are in their reads */
    kill(child, SIGKILL);
    int status;
    waitpid(child, &status, 0);
    contract_status("child with blocked readers", status);
    char got[8] = {0};
    ssize_t wrote = write(fds[1], "still", 5);
    ssize_t done = read(fds[0], got, sizeof(got));
    printf("after its death: wrote %zd, read %zd \"%.*s\"\n", wrote, done,
           (int)(done > 0 ? done : 0), got);
    close(fds[0]);
    close(fds[1]);
    close(ready[0]);
    close(ready[1]);
}

int main(int argc, char **argv)
{
    contract_start();
    if (argc > 1) { /* the execve'd image */
        pair_bytes = 256 * 1024;
        pairs(2);
        printf("image done\n");
        return 0;
    }
    contract_scratch_start(directory);
    pairs(PAIRS);
    records();
    file_while_reading();
    unlink("file");
    crowd();
    pid_t child = fork();
    if (child == 0) {
        pair_bytes = 256 * 1024;
        printf("fork child:\n");
        pairs(2);
        printf("execve:\n");
        char *args[] = {argv[0], "exec", NULL};
        execv(getenv("CONTRACT_SELF"), args);
        printf("execv: %s\n", errno_name(errno));
        _exit(1);
    }
    int status;
    waitpid(child, &status, 0);
    contract_status("fork child and its image", status);
    killed_readers();
    return contract_pass();
}
