/* mq_notify: one SIGEV_SIGNAL per registration (a message into the empty queue), EBUSY for a
 * second process, unregistering, SIGEV_THREAD calling its function with the value, bad input. */
#include "contract.h"

#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <time.h>

#define NAME "/contract_ipc_notify"

static volatile sig_atomic_t signals_seen;
static sem_t thread_done;
static int thread_value;

static void on_signal(int signal)
{
    (void)signal;
    signals_seen++;
}

static void on_message(union sigval value)
{
    thread_value = value.sival_int;
    sem_post(&thread_done);
}

/* Gives a signal time to arrive (it comes from another thread or process). */
static void settle(void)
{
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 20000000};
    for (int i = 0; i < 25 && signals_seen == 0; i++)
        nanosleep(&pause, NULL);
    pause.tv_nsec = 50000000;
    nanosleep(&pause, NULL);
}

int main(void)
{
    contract_start();
    mq_unlink(NAME);
    signal(SIGUSR1, on_signal);
    struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 16};
    mqd_t queue = mq_open(NAME, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    char text[16];

    struct sigevent bad = {.sigev_notify = 99};
    R(mq_notify(queue, &bad));
    bad = (struct sigevent){.sigev_notify = SIGEV_SIGNAL, .sigev_signo = 65};
    R(mq_notify(queue, &bad));
    struct sigevent signal_zero = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = 0};
    R(mq_notify(queue, &signal_zero)); /* Linux takes 0: the registration, with no signal */
    R(mq_notify(queue, NULL));
    struct sigevent by_signal = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
    R(mq_notify(99, &by_signal));
    R(mq_notify(queue, &by_signal));
    R(mq_notify(queue, &by_signal));
    pid_t child = contract_fork();
    if (child == 0) {
        mqd_t own = mq_open(NAME, O_RDWR);
        struct sigevent mine = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2};
        _exit(mq_notify(own, &mine) == -1 && errno == EBUSY ? 0 : 1);
    }
    contract_reap("child registering too (EBUSY)", child);

    R(mq_send(queue, "one", 3, 0));
    settle();
    printf("signals after the first message: %d\n", (int)signals_seen);
    R(mq_send(queue, "two", 3, 0));
    settle();
    printf("signals after the second: %d\n", (int)signals_seen);
    R(mq_receive(queue, text, sizeof(text), NULL));
    R(mq_receive(queue, text, sizeof(text), NULL));

    /* Registered again, then a message into a non-empty queue: no notification. */
    R(mq_send(queue, "three", 5, 0));
    R(mq_notify(queue, &by_signal));
    R(mq_send(queue, "four", 4, 0));
    settle();
    printf("signals with messages waiting: %d\n", (int)signals_seen);
    R(mq_receive(queue, text, sizeof(text), NULL));
    R(mq_receive(queue, text, sizeof(text), NULL));
    R(mq_notify(queue, NULL));
    R(mq_notify(queue, NULL));
    R(mq_send(queue, "five", 4, 0));
    settle();
    printf("signals after unregistering: %d\n", (int)signals_seen);
    R(mq_receive(queue, text, sizeof(text), NULL));

    /* A child's registration ends with it: the parent may register afterwards. */
    child = contract_fork();
    if (child == 0) {
        mqd_t own = mq_open(NAME, O_RDWR);
        _exit(mq_notify(own, &by_signal) == 0 ? 0 : 1);
    }
    contract_reap("child registered and exited", child);
    struct sigevent by_thread = {.sigev_notify = SIGEV_THREAD,
                                 .sigev_notify_function = on_message,
                                 .sigev_value = {.sival_int = 1234}};
    sem_init(&thread_done, 0, 0);
    R(mq_notify(queue, &by_thread));
    R(mq_send(queue, "six", 3, 0));
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 5;
    R(sem_timedwait(&thread_done, &deadline));
    printf("thread got value %d\n", thread_value);
    R(mq_receive(queue, text, sizeof(text), NULL));
    /* Closing the registered descriptor drops the registration. */
    mqd_t second = mq_open(NAME, O_RDWR);
    R(mq_notify(second, &by_signal));
    R(mq_close(second));
    R(mq_notify(queue, &by_signal));
    R(mq_notify(queue, NULL));
    R(mq_close(queue));
    R(mq_unlink(NAME));
    return contract_pass();
}
