/* POSIX IPC and aio: a message queue round trip, an uncontended named semaphore, shm_open+close,
 * an aio_read of a cached 4 KiB file. */
#include "bench.h"

#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/mount.h>
#endif

#define MQ_NAME "/bench_mq"
#define SEM_NAME "/bench_sem"
#define SHM_NAME "/bench_shm"
#define MQ_MESSAGE_BYTES 64

#define AIO_BYTES 4096

struct posixipc_state {
    mqd_t queue;
    sem_t *semaphore;
    int file;
    char buffer[AIO_BYTES];
};

static struct posixipc_state posixipc_state;

static void posixipc_teardown(void *state)
{
    struct posixipc_state *ipc = state;
    if (ipc->queue >= 0)
        mq_close(ipc->queue);
    if (ipc->semaphore != SEM_FAILED)
        sem_close(ipc->semaphore);
    if (ipc->file >= 0)
        close(ipc->file);
    mq_unlink(MQ_NAME);
    sem_unlink(SEM_NAME);
    shm_unlink(SHM_NAME);
}

/* glibc's shm_open and sem_open use files in /dev/shm: the Linux side boots a one-file
 * initramfs, which has no /dev/shm, so it is mounted (a tmpfs, as every distribution does). */
static void posixipc_dev_shm(void)
{
#ifdef __linux__
    struct stat status;
    if (stat("/dev/shm", &status) == 0)
        return;
    (void)mkdir("/dev", 0755);
    if (mkdir("/dev/shm", 01777) == 0)
        (void)mount("tmpfs", "/dev/shm", "tmpfs", 0, "mode=1777");
#endif
}

static void posixipc_reset(void **state)
{
    posixipc_dev_shm();
    posixipc_state.queue = -1;
    posixipc_state.semaphore = SEM_FAILED;
    posixipc_state.file = -1;
    *state = &posixipc_state;
    mq_unlink(MQ_NAME);
    sem_unlink(SEM_NAME);
    shm_unlink(SHM_NAME);
}

static const char *setup_mq(void **state)
{
    posixipc_reset(state);
    struct mq_attr attr = {.mq_maxmsg = 10, .mq_msgsize = MQ_MESSAGE_BYTES};
    posixipc_state.queue = mq_open(MQ_NAME, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    return posixipc_state.queue < 0 ? bench_fail("mq_open") : NULL;
}

/* One 64-byte message sent and received back by the same process. */
static const char *step_mq(void *state)
{
    struct posixipc_state *ipc = state;
    char message[MQ_MESSAGE_BYTES];
    memset(message, 'm', sizeof(message));
    if (mq_send(ipc->queue, message, sizeof(message), 1) != 0)
        return bench_fail("mq_send");
    unsigned priority;
    if (mq_receive(ipc->queue, message, sizeof(message), &priority) != MQ_MESSAGE_BYTES)
        return bench_fail("mq_receive");
    return NULL;
}

static const char *setup_sem(void **state)
{
    posixipc_reset(state);
    posixipc_state.semaphore = sem_open(SEM_NAME, O_CREAT | O_EXCL, 0600, 0);
    return posixipc_state.semaphore == SEM_FAILED ? bench_fail("sem_open") : NULL;
}

/* sem_post then sem_wait on a named semaphore nobody else waits on. */
static const char *step_sem(void *state)
{
    struct posixipc_state *ipc = state;
    if (sem_post(ipc->semaphore) != 0)
        return bench_fail("sem_post");
    if (sem_wait(ipc->semaphore) != 0)
        return bench_fail("sem_wait");
    return NULL;
}

static const char *setup_shm(void **state)
{
    posixipc_reset(state);
    int fd = shm_open(SHM_NAME, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return bench_fail("shm_open");
    close(fd);
    return NULL;
}

/* Opening an existing shared memory object and closing the descriptor. */
static const char *step_shm(void *state)
{
    (void)state;
    int fd = shm_open(SHM_NAME, O_RDWR, 0);
    if (fd < 0)
        return bench_fail("shm_open");
    if (close(fd) != 0)
        return bench_fail("close");
    return NULL;
}

static const char *setup_aio(void **state)
{
    posixipc_reset(state);
    const char *reason = bench_scratch_prepare();
    if (reason != NULL)
        return reason;
    posixipc_state.file = open(bench_scratch_path("file"), O_RDONLY);
    if (posixipc_state.file < 0)
        return bench_fail("open");
    return NULL;
}

/* aio_read of the whole 4 KiB file, aio_suspend until it is done, aio_return. */
static const char *step_aio(void *state)
{
    struct posixipc_state *ipc = state;
    struct aiocb control;
    memset(&control, 0, sizeof(control));
    control.aio_fildes = ipc->file;
    control.aio_buf = ipc->buffer;
    control.aio_nbytes = AIO_BYTES;
    control.aio_sigevent.sigev_notify = SIGEV_NONE;
    if (aio_read(&control) != 0)
        return bench_fail("aio_read");
    const struct aiocb *list[] = {&control};
    while (aio_error(&control) == EINPROGRESS)
        if (aio_suspend(list, 1, NULL) != 0 && errno != EINTR)
            return bench_fail("aio_suspend");
    if (aio_return(&control) != AIO_BYTES)
        return bench_fail("aio_return");
    return NULL;
}

static const struct bench_case cases[] = {
    {.name = "mq_send_receive",
     .quick_iterations = 2000,
     .full_iterations = 20000,
     .setup = setup_mq,
     .step = step_mq,
     .teardown = posixipc_teardown},
    {.name = "sem_post_wait",
     .quick_iterations = 20000,
     .full_iterations = 200000,
     .setup = setup_sem,
     .step = step_sem,
     .teardown = posixipc_teardown},
    {.name = "shm_open_close",
     .quick_iterations = 2000,
     .full_iterations = 20000,
     .setup = setup_shm,
     .step = step_shm,
     .teardown = posixipc_teardown},
    {.name = "aio_read",
     .quick_iterations = 1000,
     .full_iterations = 10000,
     .setup = setup_aio,
     .step = step_aio,
     .teardown = posixipc_teardown},
};

const struct bench_group bench_posixipc_group = {cases, sizeof(cases) / sizeof(cases[0])};
