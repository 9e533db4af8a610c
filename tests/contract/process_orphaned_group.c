/* Orphaned process groups (POSIX): a group that loses its last link to its session's other
 * groups while a member is stopped gets SIGHUP then SIGCONT; SIGTSTP to a member of an orphaned
 * group is discarded. */
#include <sys/mman.h>
#include <time.h>

#include "contract.h"

static volatile int *shared; /* [0] signals seen by the stopped member, [1] it ran again */

static void tick(long milliseconds)
{
    struct timespec time = {0, milliseconds * 1000000};
    while (nanosleep(&time, &time) != 0 && errno == EINTR)
        ;
}

static void on_hangup(int signal)
{
    shared[0] |= signal == SIGHUP ? 1 : 0;
}

static void on_continue(int signal)
{
    shared[0] |= signal == SIGCONT ? 2 : 0;
}

int main(void)
{
    contract_start();
    shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    /* A leads a group we link; B, its child in that group, stops; A exits: B's group is
     * orphaned with a stopped member. */
    pid_t a = contract_fork();
    if (a == 0) {
        setpgid(0, 0);
        pid_t b = fork();
        if (b == 0) {
            signal(SIGHUP, on_hangup);
            signal(SIGCONT, on_continue);
            raise(SIGSTOP);
            shared[1] = 1;
            _exit(0);
        }
        int status;
        while (waitpid(b, &status, WUNTRACED) < 0 && errno == EINTR)
            ;
        printf("B stopped: %s\n", WIFSTOPPED(status) ? "yes" : "no");
        _exit(0);
    }
    setpgid(a, a);
    contract_reap("A", a);
    for (int i = 0; i < 1000 && shared[1] == 0; i++)
        tick(1);
    printf("B got SIGHUP: %s\n", (shared[0] & 1) ? "yes" : "no");
    printf("B got SIGCONT: %s\n", (shared[0] & 2) ? "yes" : "no");
    printf("B ran again: %s\n", shared[1] ? "yes" : "no");

    /* A session leader's group is orphaned (its parent is in another session): SIGTSTP is
     * discarded, SIGSTOP is not. */
    shared[0] = shared[1] = 0;
    pid_t c = contract_fork();
    if (c == 0) {
        setsid();
        for (;;) {
            shared[1]++;
            tick(1);
        }
    }
    while (getsid(c) != c)
        tick(1);
    R(kill(c, SIGTSTP));
    int before = shared[1];
    for (int i = 0; i < 500 && shared[1] == before; i++)
        tick(1);
    printf("runs after SIGTSTP in an orphaned group: %s\n", shared[1] != before ? "yes" : "no");
    R(kill(c, SIGSTOP));
    int status;
    while (waitpid(c, &status, WUNTRACED) < 0 && errno == EINTR)
        ;
    contract_status("SIGSTOP in an orphaned group", status);
    R(kill(c, SIGKILL));
    contract_reap("C", c);
    return contract_pass();
}
