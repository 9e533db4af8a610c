/* Signals with values: sigqueue to itself and to a child (SI_QUEUE, si_value, si_pid), real-time
 * signals queued per instance and delivered lowest number first, and the siginfo of mq_notify's,
 * aio's and a POSIX timer's SIGEV_SIGNAL. */
#include "contract.h"

#include <aio.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sys/wait.h>
#include <time.h>

#define SEEN_MAX 16
struct seen {
    int signo, code, value, pid, uid, overrun;
};
static volatile struct seen seen[SEEN_MAX];
static volatile int seen_count;

static void handler(int n, siginfo_t *info, void *context)
{
    (void)context;
    if (seen_count >= SEEN_MAX)
        return;
    volatile struct seen *entry = &seen[seen_count];
    entry->signo = n;
    entry->code = info->si_code;
    entry->value = info->si_value.sival_int;
    entry->pid = info->si_pid;
    entry->uid = info->si_uid;
    entry->overrun = info->si_code == SI_TIMER ? info->si_overrun : 0;
    seen_count++;
}

static const char *code_name(int code)
{
    switch (code) {
    case SI_USER:
        return "SI_USER";
    case SI_QUEUE:
        return "SI_QUEUE";
    case SI_TIMER:
        return "SI_TIMER";
    case SI_MESGQ:
        return "SI_MESGQ";
    case SI_ASYNCIO:
        return "SI_ASYNCIO";
    default:
        return "other";
    }
}

static void name_of(int n, char *out, size_t size)
{
    if (n >= SIGRTMIN && n <= SIGRTMAX)
        snprintf(out, size, "SIGRTMIN+%d", n - SIGRTMIN);
    else
        snprintf(out, size, "%s", signal_name(n));
}

/* Prints and forgets what the handler saw; pid is the sender expected in si_pid (0: not
 * checked). */
static void show(const char *what, pid_t pid)
{
    for (int i = 0; i < seen_count; i++) {
        char name[32];
        name_of(seen[i].signo, name, sizeof(name));
        printf("%s: %s %s value %d", what, name, code_name(seen[i].code), seen[i].value);
        if (pid != 0)
            printf(" pid %s uid %s", seen[i].pid == pid ? "sender" : "other",
                   seen[i].uid == (int)getuid() ? "same" : "other");
        if (seen[i].code == SI_TIMER)
            printf(" overrun %d", seen[i].overrun);
        printf("\n");
    }
    if (seen_count == 0)
        printf("%s: nothing\n", what);
    seen_count = 0;
}

static void catch(int n)
{
    struct sigaction action = {0};
    action.sa_sigaction = handler;
    action.sa_flags = SA_SIGINFO;
    sigfillset(&action.sa_mask); /* handlers never nest: the order is the delivery order */
    R(sigaction(n, &action, NULL));
}

static void block(int n, int how)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, n);
    R(sigprocmask(how, &set, NULL));
}

/* Waits (n blocked) until the handler has seen count signals. */
static void wait_for(int n, int count)
{
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    sigdelset(&mask, n);
    while (seen_count < count)
        sigsuspend(&mask);
}

static void to_self(void)
{
    catch(SIGUSR1);
    union sigval value = {.sival_int = 99};
    R(sigqueue(getpid(), SIGUSR1, value));
    show("self", getpid());
    R(sigqueue(getpid(), 0, value));
    R(sigqueue(getpid(), 65, value));
    R(sigqueue(getpid(), -1, value));
    /* A standard signal pending once: the first value stays. */
    catch(SIGUSR2);
    block(SIGUSR2, SIG_BLOCK);
    value.sival_int = 1;
    R(sigqueue(getpid(), SIGUSR2, value));
    value.sival_int = 2;
    R(sigqueue(getpid(), SIGUSR2, value));
    block(SIGUSR2, SIG_UNBLOCK);
    show("standard twice", getpid());
    /* Real-time signals: every instance, lowest number first, in the order sent. */
    catch(SIGRTMIN);
    catch(SIGRTMIN + 1);
    block(SIGRTMIN, SIG_BLOCK);
    block(SIGRTMIN + 1, SIG_BLOCK);
    int values[] = {10, 11, 12};
    value.sival_int = 20;
    R(sigqueue(getpid(), SIGRTMIN + 1, value));
    for (int i = 0; i < 3; i++) {
        value.sival_int = values[i];
        R(sigqueue(getpid(), SIGRTMIN, value));
    }
    R(kill(getpid(), SIGRTMIN + 1) == 0);
    sigset_t pending;
    sigpending(&pending);
    printf("pending: %d %d\n", sigismember(&pending, SIGRTMIN), sigismember(&pending, SIGRTMIN + 1));
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGRTMIN);
    sigaddset(&unblock, SIGRTMIN + 1);
    R(sigprocmask(SIG_UNBLOCK, &unblock, NULL));
    show("rt self", getpid());
}

static void to_child(void)
{
    int ready[2], go[2];
    R(pipe(ready));
    R(pipe(go));
    block(SIGRTMIN, SIG_BLOCK);
    block(SIGRTMIN + 1, SIG_BLOCK);
    pid_t child = fork();
    if (child == 0) {
        char byte = 'r';
        (void)!write(ready[1], &byte, 1);
        (void)!read(go[0], &byte, 1);
        sigset_t unblock;
        sigemptyset(&unblock);
        sigaddset(&unblock, SIGRTMIN);
        sigaddset(&unblock, SIGRTMIN + 1);
        sigprocmask(SIG_UNBLOCK, &unblock, NULL);
        show("child", getppid());
        _exit(0);
    }
    char byte;
    R(read(ready[0], &byte, 1));
    union sigval value = {.sival_int = 7};
    R(sigqueue(child, SIGRTMIN + 1, value));
    for (int i = 1; i <= 3; i++) {
        value.sival_int = i;
        R(sigqueue(child, SIGRTMIN, value));
    }
    (void)!write(go[1], "g", 1); /* no print: the child prints until it exits */
    contract_reap("child", child);
    R(sigqueue(child, SIGRTMIN, value)); /* reaped: no such process */
    block(SIGRTMIN, SIG_UNBLOCK);
    block(SIGRTMIN + 1, SIG_UNBLOCK);
    close(ready[0]);
    close(ready[1]);
    close(go[0]);
    close(go[1]);
}

static void message_queue(void)
{
    const char *name = "/contract_signal_queue";
    mq_unlink(name);
    mqd_t queue = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
    R(queue >= 0);
    catch(SIGUSR1);
    block(SIGUSR1, SIG_BLOCK);
    struct sigevent event = {0};
    event.sigev_notify = SIGEV_SIGNAL;
    event.sigev_signo = SIGUSR1;
    event.sigev_value.sival_int = 1234;
    R(mq_notify(queue, &event));
    pid_t child = fork();
    if (child == 0) {
        mqd_t sender = mq_open(name, O_WRONLY);
        _exit(sender >= 0 && mq_send(sender, "x", 1, 0) == 0 ? 0 : 1);
    }
    contract_reap("sender", child);
    wait_for(SIGUSR1, 1);
    show("mq_notify", child);
    block(SIGUSR1, SIG_UNBLOCK);
    R(mq_close(queue));
    R(mq_unlink(name));
}

static void asynchronous_io(void)
{
    char path[] = "/tmp/contract_signal_queue_XXXXXX";
    int fd = mkstemp(path);
    R(fd >= 0);
    R(write(fd, "asynchronous", 12));
    catch(SIGUSR2);
    block(SIGUSR2, SIG_BLOCK);
    static char buffer[16];
    struct aiocb request = {0};
    request.aio_fildes = fd;
    request.aio_buf = buffer;
    request.aio_nbytes = sizeof(buffer);
    request.aio_sigevent.sigev_notify = SIGEV_SIGNAL;
    request.aio_sigevent.sigev_signo = SIGUSR2;
    request.aio_sigevent.sigev_value.sival_int = 77;
    R(aio_read(&request));
    wait_for(SIGUSR2, 1);
    R(aio_return(&request));
    show("aio", getpid());
    block(SIGUSR2, SIG_UNBLOCK);
    R(close(fd));
    R(unlink(path));
}

static void posix_timer(void)
{
    catch(SIGRTMIN + 2);
    block(SIGRTMIN + 2, SIG_BLOCK);
    struct sigevent event = {0};
    event.sigev_notify = SIGEV_SIGNAL;
    event.sigev_signo = SIGRTMIN + 2;
    event.sigev_value.sival_int = 555;
    timer_t timer;
    R(timer_create(CLOCK_MONOTONIC, &event, &timer));
    struct itimerspec once = {.it_value = {.tv_nsec = 1000000}};
    R(timer_settime(timer, 0, &once, NULL));
    wait_for(SIGRTMIN + 2, 1);
    show("timer", 0);
    R(timer_getoverrun(timer));
    R(timer_delete(timer));
    block(SIGRTMIN + 2, SIG_UNBLOCK);
}

int main(void)
{
    contract_start();
    to_self();
    to_child();
    message_queue();
    asynchronous_io();
    posix_timer();
    return contract_pass();
}
