/* POSIX aio: aio_write/aio_read on a file with completion by signal, lio_listio of 16 requests
 * (LIO_WAIT, and LIO_NOWAIT told by signal), SIGEV_THREAD, aio_fsync, a pipe and a socket,
 * aio_suspend's timeout, aio_cancel; bad input: EBADF, EFAULT, EINVAL, EIO from lio_listio. */
#include "contract.h"

#include <aio.h>
#include <fcntl.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>

#define REQUESTS 16
#define CHUNK 512

static volatile sig_atomic_t usr1_seen, usr2_seen;
static sem_t thread_done;
static int thread_value;

static void on_usr1(int signal)
{
    (void)signal;
    usr1_seen++;
}

static void on_usr2(int signal)
{
    (void)signal;
    usr2_seen++;
}

static void on_done(union sigval value)
{
    thread_value = value.sival_int;
    sem_post(&thread_done);
}

static void wait_signal(volatile sig_atomic_t *seen)
{
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 10000000};
    for (int i = 0; i < 300 && *seen == 0; i++)
        nanosleep(&pause, NULL);
}

static void wait_one(struct aiocb *control)
{
    const struct aiocb *list[] = {control};
    while (aio_error(control) == EINPROGRESS)
        aio_suspend(list, 1, NULL);
}

static void show(const char *what, struct aiocb *control)
{
    wait_one(control);
    int error = aio_error(control);
    printf("%s: error %s return %zd\n", what, errno_name(error), aio_return(control));
}

static struct aiocb request(int fd, void *buffer, size_t length, off_t offset)
{
    struct aiocb control;
    memset(&control, 0, sizeof(control));
    control.aio_fildes = fd;
    control.aio_buf = buffer;
    control.aio_nbytes = length;
    control.aio_offset = offset;
    control.aio_sigevent.sigev_notify = SIGEV_NONE;
    return control;
}

static void file_by_signal(int fd)
{
    char text[] = "asynchronous hello";
    struct aiocb write_request = request(fd, text, sizeof(text) - 1, 0);
    write_request.aio_sigevent.sigev_notify = SIGEV_SIGNAL;
    write_request.aio_sigevent.sigev_signo = SIGUSR1;
    R(aio_write(&write_request));
    show("aio_write", &write_request);
    wait_signal(&usr1_seen);
    printf("SIGUSR1 seen %d\n", (int)usr1_seen);
    char back[64] = {0};
    struct aiocb read_request = request(fd, back, sizeof(back), 6);
    R(aio_read(&read_request));
    show("aio_read", &read_request);
    printf("read back '%s'\n", back);
    struct aiocb sync_request = request(fd, NULL, 0, 0);
    R(aio_fsync(O_SYNC, &sync_request));
    show("aio_fsync", &sync_request);
    R(aio_cancel(fd, &read_request));
}

static void list_of_sixteen(int fd)
{
    static char chunks[REQUESTS][CHUNK], back[REQUESTS][CHUNK];
    struct aiocb controls[REQUESTS];
    struct aiocb *list[REQUESTS];
    for (int i = 0; i < REQUESTS; i++) {
        memset(chunks[i], 'a' + i, CHUNK);
        controls[i] = request(fd, chunks[i], CHUNK, (off_t)i * CHUNK);
        controls[i].aio_lio_opcode = LIO_WRITE;
        list[i] = &controls[i];
    }
    R(lio_listio(LIO_WAIT, list, REQUESTS, NULL));
    int good = 0;
    for (int i = 0; i < REQUESTS; i++)
        good += aio_error(&controls[i]) == 0 && aio_return(&controls[i]) == CHUNK;
    printf("LIO_WAIT writes done: %d of %d\n", good, REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
        controls[i] = request(fd, back[i], CHUNK, (off_t)(REQUESTS - 1 - i) * CHUNK);
        controls[i].aio_lio_opcode = i == 3 ? LIO_NOP : LIO_READ;
    }
    struct sigevent all_done = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2};
    R(lio_listio(LIO_NOWAIT, list, REQUESTS, &all_done));
    wait_signal(&usr2_seen);
    printf("SIGUSR2 seen %d\n", (int)usr2_seen);
    good = 0;
    for (int i = 0; i < REQUESTS; i++) {
        if (i == 3)
            continue;
        wait_one(&controls[i]);
        good += aio_return(&controls[i]) == CHUNK && back[i][0] == 'a' + (REQUESTS - 1 - i) &&
                back[i][CHUNK - 1] == 'a' + (REQUESTS - 1 - i);
    }
    printf("LIO_NOWAIT reads right: %d of %d (one LIO_NOP)\n", good, REQUESTS - 1);
    /* One bad request among good ones: the good ones are done, lio_listio says EIO. */
    controls[0] = request(99, back[0], CHUNK, 0);
    controls[0].aio_lio_opcode = LIO_READ;
    controls[1] = request(fd, back[1], CHUNK, 0);
    controls[1].aio_lio_opcode = LIO_READ;
    R(lio_listio(LIO_WAIT, list, 2, NULL));
    printf("bad one: %s, good one: %s %zd\n", errno_name(aio_error(&controls[0])),
           errno_name(aio_error(&controls[1])), aio_return(&controls[1]));
    R(lio_listio(7, list, 1, NULL));
}

static void by_thread(int fd)
{
    char buffer[8];
    sem_init(&thread_done, 0, 0);
    struct aiocb control = request(fd, buffer, sizeof(buffer), 0);
    control.aio_sigevent.sigev_notify = SIGEV_THREAD;
    control.aio_sigevent.sigev_notify_function = on_done;
    control.aio_sigevent.sigev_value.sival_int = 77;
    R(aio_read(&control));
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 5;
    R(sem_timedwait(&thread_done, &deadline));
    printf("thread value %d\n", thread_value);
    show("SIGEV_THREAD read", &control);
}

static void pipe_and_socket(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return;
    char first[8] = {0}, second[8] = {0};
    struct aiocb waiting = request(fds[0], first, sizeof(first), 0);
    struct aiocb behind = request(fds[0], second, sizeof(second), 0);
    R(aio_read(&waiting));
    R(aio_read(&behind));
    const struct aiocb *list[] = {&waiting, &behind};
    struct timespec short_wait = {.tv_sec = 0, .tv_nsec = 20000000};
    R(aio_suspend(list, 2, &short_wait));
    R(aio_cancel(fds[0], &behind));
    printf("cancelled: %s %zd\n", errno_name(aio_error(&behind)), aio_return(&behind));
    R(write(fds[1], "pipe", 4));
    show("pipe read", &waiting);
    printf("pipe gave '%s'\n", first);
    R(aio_cancel(fds[0], &waiting));
    R(aio_cancel(fds[1], &waiting));
    close(fds[0]);
    close(fds[1]);
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0)
        return;
    struct aiocb send_request = request(pair[0], "socket", 6, 0);
    R(aio_write(&send_request));
    show("socket write", &send_request);
    char got[8] = {0};
    R(read(pair[1], got, sizeof(got)));
    printf("socket gave '%s'\n", got);
    close(pair[0]);
    close(pair[1]);
}

static void bad_input(int fd)
{
    char buffer[16];
    struct aiocb control = request(99, buffer, sizeof(buffer), 0);
    R(aio_read(&control));
    show("bad descriptor", &control);
    char *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(gone, 4096);
    control = request(fd, gone, 16, 0);
    R(aio_read(&control));
    show("unmapped buffer (read into)", &control);
    control = request(fd, gone, 16, 0);
    R(aio_write(&control));
    show("unmapped buffer (write from)", &control);
    control = request(fd, buffer, sizeof(buffer), -1);
    R(aio_read(&control));
    show("negative offset", &control);
    control = request(fd, buffer, sizeof(buffer), 0);
    control.aio_reqprio = -1;
    R(aio_read(&control));
    control.aio_reqprio = 0;
    R(aio_fsync(12345, &control));
    control.aio_fildes = 99;
    R(aio_fsync(O_SYNC, &control));
    R(aio_cancel(99, NULL));
    R(aio_cancel(fd, NULL));
}

int main(void)
{
    contract_start();
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, on_usr2);
    char path[] = "/tmp/contract_aio_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        printf("mkstemp: %s\n", errno_name(errno));
        return 1;
    }
    unlink(path);
    file_by_signal(fd);
    list_of_sixteen(fd);
    by_thread(fd);
    pipe_and_socket();
    bad_input(fd);
    close(fd);
    return contract_pass();
}
