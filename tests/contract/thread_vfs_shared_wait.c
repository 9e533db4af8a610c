/* Threads beyond the per-thread vfs buffers (Aramid shares one among them): one waiting in a
 * FIFO read, then one in a write to a full FIFO, while another moves file and pipe data. */
#include "contract.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>

/* More than Aramid's 62 per-thread buffers, all alive while the two below run. */
#define HOLDERS 70
#define FILE_BYTES (96 * 1024)

static pthread_barrier_t holders_done;
static volatile int holder_errors;

/* Writes and reads back a file of its own (so it has claimed a buffer), then stays alive. */
static void *holder(void *argument)
{
    int index = (int)(intptr_t)argument;
    char name[32], out[32], in[32];
    snprintf(name, sizeof(name), "holder%d", index);
    int length = snprintf(out, sizeof(out), "holder %d", index);
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, out, (size_t)length) != length ||
        pread(fd, in, sizeof(in), 0) != length || memcmp(in, out, (size_t)length) != 0)
        __atomic_fetch_add(&holder_errors, 1, __ATOMIC_RELAXED);
    close(fd);
    unlink(name);
    pthread_barrier_wait(&holders_done); /* all have moved their bytes */
    pthread_barrier_wait(&holders_done); /* the test is over */
    return NULL;
}

static int wait_pipe[2];
static volatile int waiter_started;
static ssize_t waiter_result;
static char waiter_bytes[64];

static void *pipe_reader(void *argument)
{
    (void)argument;
    waiter_started = 1;
    waiter_result = read(wait_pipe[0], waiter_bytes, sizeof(waiter_bytes));
    return NULL;
}

/* Fills the pipe, then one more write that must wait for room. */
static size_t filled;
static void *pipe_writer(void *argument)
{
    (void)argument;
    static char chunk[4096];
    memset(chunk, 'w', sizeof(chunk));
    fcntl(wait_pipe[1], F_SETFL, O_NONBLOCK);
    ssize_t wrote;
    while ((wrote = write(wait_pipe[1], chunk, sizeof(chunk))) > 0)
        filled += (size_t)wrote;
    fcntl(wait_pipe[1], F_SETFL, 0);
    waiter_started = 1;
    waiter_result = write(wait_pipe[1], "last", 4);
    return NULL;
}

/* What another thread does meanwhile: a file written and read back, a pipe of its own. */
static void other_work(const char *what)
{
    static unsigned char data[FILE_BYTES], back[FILE_BYTES];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (unsigned char)(i * 7 + 3);
    int fd = open("file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    ssize_t wrote = write(fd, data, sizeof(data));
    ssize_t got = pread(fd, back, sizeof(back), 0);
    close(fd);
    unlink("file");
    int fds[2];
    char in[8] = {0};
    int piped = pipe(fds) == 0 && write(fds[1], "mine", 4) == 4 && read(fds[0], in, 8) == 4;
    close(fds[0]);
    close(fds[1]);
    printf("%s: file wrote %zd, read back %zd, equal %s; own pipe %s\n", what, wrote, got,
           memcmp(data, back, sizeof(data)) == 0 ? "yes" : "no", piped ? "ok" : "failed");
}

struct other {
    const char *what;
    int drain;
};

static void *other(void *argument)
{
    const struct other *job = argument;
    while (!waiter_started)
        usleep(1000);
    usleep(30000); /* the waiter is in its call by now */
    other_work(job->what);
    if (job->drain) {
        static char sink[4096];
        size_t drained = 0;
        while (drained < filled) {
            ssize_t got = read(wait_pipe[0], sink, sizeof(sink));
            if (got <= 0)
                break;
            drained += (size_t)got;
        }
    } else if (write(wait_pipe[1], "wake up", 7) != 7) {
        printf("wake-up write failed\n");
    }
    return NULL;
}

static void run(const char *what, void *(*waiter)(void *), struct other *job)
{
    /* A FIFO: vfs moves its bytes (a pipe(2) pipe of one process may go through a ring). */
    if (mkfifo("fifo", 0600) != 0)
        printf("mkfifo: %s\n", errno_name(errno));
    wait_pipe[0] = open("fifo", O_RDONLY | O_NONBLOCK);
    wait_pipe[1] = open("fifo", O_WRONLY);
    fcntl(wait_pipe[0], F_SETFL, 0);
    waiter_started = 0;
    pthread_t first, second;
    pthread_create(&first, NULL, waiter, NULL);
    pthread_create(&second, NULL, other, job);
    pthread_join(second, NULL);
    pthread_join(first, NULL);
    if (waiter == pipe_reader)
        printf("%s: got %zd bytes \"%.*s\"\n", what, waiter_result,
               (int)(waiter_result > 0 ? waiter_result : 0), waiter_bytes);
    else
        printf("%s: filled %s, then wrote %zd\n", what, filled >= 4096 ? "yes" : "no",
               waiter_result);
    close(wait_pipe[0]);
    close(wait_pipe[1]);
    unlink("fifo");
}

int main(void)
{
    contract_start();
    alarm(60); /* a thread stopped behind the waiter ends the test instead of hanging it */
    static char directory[] = "/tmp/contract_vfs_shared_XXXXXX";
    contract_scratch_start(directory);
    static pthread_t threads[HOLDERS];
    pthread_barrier_init(&holders_done, NULL, HOLDERS + 1);
    int created = 0;
    for (int i = 0; i < HOLDERS; i++)
        created += pthread_create(&threads[i], NULL, holder, (void *)(intptr_t)i) == 0;
    pthread_barrier_wait(&holders_done);
    printf("%d holders: %d created, %d errors\n", HOLDERS, created, holder_errors);
    struct other wake = {"beside a waiting reader", 0};
    run("waiting reader", pipe_reader, &wake);
    struct other drain = {"beside a waiting writer", 1};
    run("waiting writer", pipe_writer, &drain);
    pthread_barrier_wait(&holders_done);
    for (int i = 0; i < HOLDERS; i++)
        pthread_join(threads[i], NULL);
    if (chdir("/") != 0 || rmdir(directory) != 0)
        printf("scratch directory left: %s\n", errno_name(errno));
    return contract_pass();
}
