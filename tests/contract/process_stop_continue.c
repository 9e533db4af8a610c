/* Stop and continue: SIGSTOP and SIGTSTP stop a child (it does not run), SIGCONT continues it
 * and reaches its handler; WUNTRACED, WCONTINUED and waitid report each once; SIGCHLD on stop
 * unless SA_NOCLDSTOP; a SIGTERM to a stopped child waits for SIGCONT; a SIGTSTP handler keeps
 * it running; stop signals to init are refused. */
#include <sys/mman.h>
#include <time.h>

#include "contract.h"

static volatile unsigned long *shared; /* [0] the child's ticks, [1] its SIGCONT handler ran */
static volatile sig_atomic_t sigchld_count;

static void tick(long milliseconds)
{
    struct timespec time = {0, milliseconds * 1000000};
    while (nanosleep(&time, &time) != 0 && errno == EINTR)
        ;
}

static void on_sigchld(int signal)
{
    (void)signal;
    sigchld_count++;
}

static void on_child_signal(int signal)
{
    shared[1] = signal == SIGCONT ? 1 : 2;
}

/* A child that counts while it runs, in a group of its own (which we link: it is not an orphaned
 * group, where SIGTSTP would be discarded). With handlers: SIGCONT and SIGTSTP are caught. */
static pid_t counter(int handlers)
{
    shared[0] = shared[1] = 0;
    pid_t child = contract_fork();
    if (child == 0) {
        setpgid(0, 0);
        if (handlers) {
            signal(SIGCONT, on_child_signal);
            signal(SIGTSTP, on_child_signal);
        }
        for (;;) {
            shared[0]++;
            tick(1);
        }
    }
    setpgid(child, child);
    while (shared[0] < 3)
        tick(1);
    return child;
}

/* Does the child run now? Its count must move within a while (or stay, if stopped). */
static int runs(void)
{
    unsigned long before = shared[0];
    for (int i = 0; i < 200 && shared[0] == before; i++)
        tick(1);
    return shared[0] != before;
}

static void wait_line(const char *what, pid_t child, int options)
{
    int status = 0;
    pid_t got;
    do {
        got = waitpid(child, &status, options);
    } while (got < 0 && errno == EINTR);
    if (got < 0)
        printf("%s: -1 %s\n", what, errno_name(errno));
    else if (got == 0)
        printf("%s: 0\n", what);
    else if (WIFCONTINUED(status))
        printf("%s: continued\n", what);
    else
        contract_status(what, status);
}

static void waitid_line(const char *what, pid_t child, int options)
{
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    int result;
    do {
        result = waitid(P_PID, (id_t)child, &info, options);
    } while (result < 0 && errno == EINTR);
    const char *code = info.si_code == CLD_STOPPED     ? "CLD_STOPPED"
                       : info.si_code == CLD_CONTINUED ? "CLD_CONTINUED"
                       : info.si_code == CLD_EXITED    ? "CLD_EXITED"
                       : info.si_code == CLD_KILLED    ? "CLD_KILLED"
                                                       : "none";
    printf("%s: %d %s %s, pid %s\n", what, result, code,
           info.si_code == 0 ? "-" : signal_name(info.si_status),
           info.si_pid == child ? "right" : "other");
}

int main(void)
{
    contract_start();
    shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    struct sigaction action = {0};
    action.sa_handler = on_sigchld;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGCHLD, &action, NULL);

    pid_t child = counter(0);
    R(kill(child, SIGSTOP));
    wait_line("waitpid WUNTRACED after SIGSTOP", child, WUNTRACED);
    printf("SIGCHLD on stop: %s\n", sigchld_count > 0 ? "yes" : "no");
    printf("runs while stopped: %s\n", runs() ? "yes" : "no");
    wait_line("again WNOHANG|WUNTRACED", child, WNOHANG | WUNTRACED);
    wait_line("WNOHANG without WUNTRACED", child, WNOHANG);
    sigchld_count = 0;
    R(kill(child, SIGCONT));
    wait_line("waitpid WCONTINUED after SIGCONT", child, WCONTINUED);
    for (int i = 0; i < 500 && sigchld_count == 0; i++)
        tick(1); /* Linux's child sends it when it runs again */
    printf("SIGCHLD on continue: %s\n", sigchld_count > 0 ? "yes" : "no");
    printf("runs after SIGCONT: %s\n", runs() ? "yes" : "no");
    wait_line("again WNOHANG|WCONTINUED", child, WNOHANG | WCONTINUED);
    R(kill(child, SIGTSTP));
    waitid_line("waitid WSTOPPED after SIGTSTP", child, WSTOPPED);
    printf("runs after SIGTSTP: %s\n", runs() ? "yes" : "no");
    R(kill(child, SIGCONT));
    waitid_line("waitid WCONTINUED", child, WCONTINUED);
    /* A fatal signal to a stopped child waits for SIGCONT (SIGKILL would not). */
    R(kill(child, SIGSTOP));
    wait_line("stopped again", child, WUNTRACED);
    R(kill(child, SIGTERM));
    tick(20);
    wait_line("SIGTERM to a stopped child", child, WNOHANG);
    R(kill(child, SIGCONT));
    wait_line("then SIGCONT", child, 0);

    /* With SA_NOCLDSTOP, no SIGCHLD for stops; the wait still sees them. */
    action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &action, NULL);
    child = counter(1);
    sigchld_count = 0;
    R(kill(child, SIGSTOP));
    wait_line("waitpid WUNTRACED with SA_NOCLDSTOP", child, WUNTRACED);
    printf("SIGCHLD on stop with SA_NOCLDSTOP: %s\n", sigchld_count > 0 ? "yes" : "no");
    R(kill(child, SIGCONT));
    for (int i = 0; i < 500 && shared[1] == 0; i++)
        tick(1);
    printf("SIGCONT handler ran: %s\n", shared[1] == 1 ? "yes" : "no");
    shared[1] = 0;
    R(kill(child, SIGTSTP));
    for (int i = 0; i < 500 && shared[1] == 0; i++)
        tick(1);
    printf("SIGTSTP handler ran: %s\n", shared[1] == 2 ? "yes" : "no");
    printf("runs with a SIGTSTP handler: %s\n", runs() ? "yes" : "no");
    wait_line("WNOHANG|WUNTRACED", child, WNOHANG | WUNTRACED);
    R(kill(child, SIGKILL));
    wait_line("SIGKILL", child, 0);

    /* A child that stops itself: raise(SIGSTOP) returns once it is continued. */
    child = contract_fork();
    if (child == 0) {
        raise(SIGSTOP);
        _exit(7);
    }
    wait_line("raise(SIGSTOP)", child, WUNTRACED);
    R(kill(child, SIGCONT));
    wait_line("then SIGCONT", child, 0);

    /* init takes no stop signal it has no handler for (Linux ignores them; EPERM here). */
    int result = kill(1, SIGSTOP);
    printf("kill(1, SIGSTOP) refused: %s\n", result == 0 || errno == EPERM ? "yes" : "no");
    result = kill(1, SIGTSTP);
    printf("kill(1, SIGTSTP) refused: %s\n", result == 0 || errno == EPERM ? "yes" : "no");
    result = kill(1, 0);
    printf("init still there: %s\n", result == 0 || errno == EPERM ? "yes" : "no");
    return contract_pass();
}
