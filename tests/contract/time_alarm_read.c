/* An alarm interrupts a blocking read of a pipe: EINTR without SA_RESTART; with SA_RESTART the
 * read goes on and gets what a child writes later; with the default action the reader dies of
 * SIGALRM. */
#include <sys/time.h>
#include <time.h>

#include "contract.h"

static volatile int alarms;

static void on_alarm(int signal)
{
    (void)signal;
    alarms++;
}

static void handle(int flags)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm;
    action.sa_flags = flags;
    sigemptyset(&action.sa_mask);
    sigaction(SIGALRM, &action, NULL);
}

int main(void)
{
    contract_start();
    int pipe_ends[2];
    R(pipe(pipe_ends));
    char byte;

    handle(0);
    struct itimerval shot = {{0, 0}, {0, 100000}};
    R(setitimer(ITIMER_REAL, &shot, NULL));
    R(read(pipe_ends[0], &byte, 1));
    printf("alarms %d\n", alarms);

    /* SA_RESTART: the alarm's handler runs, the read restarts and returns the child's byte. */
    handle(SA_RESTART);
    alarms = 0;
    pid_t child = contract_fork();
    if (child == 0) {
        struct timespec nap = {0, 300000000};
        nanosleep(&nap, NULL);
        write(pipe_ends[1], "x", 1);
        _exit(0);
    }
    R(setitimer(ITIMER_REAL, &shot, NULL));
    R(read(pipe_ends[0], &byte, 1));
    printf("byte %c, alarms %d\n", byte, alarms);
    int status;
    waitpid(child, &status, 0);
    contract_status("writer", status);

    /* alarm(1) on a read with the default action: the process dies of SIGALRM. */
    child = contract_fork();
    if (child == 0) {
        signal(SIGALRM, SIG_DFL);
        alarm(1);
        read(pipe_ends[0], &byte, 1);
        _exit(0);
    }
    waitpid(child, &status, 0);
    contract_status("reader with the default action", status);
    return contract_pass();
}
