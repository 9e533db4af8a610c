/* SDK test: the console as controlling terminal (Linux's rules): the login program's session
 * owns it, tcsetpgrp's errors, another session's ENOTTY and ENXIO, a background group's SIGTTOU
 * and SIGTTIN (caught, ignored), and handing the foreground to a child's group and back. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t jobs_caught;

static void jobs_on_signal(int signal)
{
    jobs_caught = signal;
}

/* "what = result" or "what = -1 ENAME". */
static void jobs_row(const char *what, long result)
{
    const char *name = result >= 0          ? ""
                       : errno == EPERM     ? " EPERM"
                       : errno == ESRCH     ? " ESRCH"
                       : errno == EINVAL    ? " EINVAL"
                       : errno == ENOTTY    ? " ENOTTY"
                       : errno == ENXIO     ? " ENXIO"
                       : errno == EINTR     ? " EINTR"
                       : errno == EIO       ? " EIO"
                                            : " other";
    printf("%s = %ld%s\n", what, result < 0 ? -1l : result, name);
}

/* Runs body in a child and waits for it; the child's rows come before the parent's next. */
static void jobs_child(void (*body)(void))
{
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        body();
        fflush(stdout);
        _exit(0);
    }
    int status = 0;
    (void)waitpid(child, &status, 0);
}

static void jobs_other_session(void)
{
    jobs_row("child setsid > 0", setsid() > 0);
    jobs_row("tcgetpgrp in another session", tcgetpgrp(0));
    jobs_row("tcsetpgrp in another session", tcsetpgrp(0, getpgrp()));
    jobs_row("open /dev/tty in another session", open("/dev/tty", O_RDWR));
    int fd = open("/dev/console", O_RDWR | O_NOCTTY);
    jobs_row("open /dev/console in another session >= 0", fd >= 0);
    jobs_row("TIOCSCTTY of a taken terminal without force", ioctl(0, TIOCSCTTY, 0));
}

static void jobs_background(void)
{
    struct termios settings;
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = jobs_on_signal; /* no SA_RESTART: the call ends with EINTR */
    jobs_row("child setpgid(0, 0)", setpgid(0, 0));
    jobs_row("tcgetpgrp == the parent's group", tcgetpgrp(0) == getppid());
    jobs_row("tcgetattr in the background", tcgetattr(0, &settings));
    (void)sigaction(SIGTTOU, &action, NULL);
    jobs_row("tcsetattr in the background (SIGTTOU caught)", tcsetattr(0, TCSANOW, &settings));
    jobs_row("caught SIGTTOU", jobs_caught == SIGTTOU);
    (void)signal(SIGTTOU, SIG_IGN);
    jobs_row("tcsetattr with SIGTTOU ignored", tcsetattr(0, TCSANOW, &settings));
    char byte;
    jobs_caught = 0;
    (void)sigaction(SIGTTIN, &action, NULL);
    jobs_row("read in the background (SIGTTIN caught)", read(0, &byte, 1));
    jobs_row("caught SIGTTIN", jobs_caught == SIGTTIN);
    (void)signal(SIGTTIN, SIG_IGN);
    jobs_row("read with SIGTTIN ignored", read(0, &byte, 1));
    jobs_row("TIOCNOTTY by a member", ioctl(0, TIOCNOTTY));
    jobs_row("TIOCSCTTY by a member", ioctl(0, TIOCSCTTY, 0));
}

static void jobs_foreground_child(void)
{
    jobs_row("child setpgid(0, 0)", setpgid(0, 0));
    (void)signal(SIGTTOU, SIG_IGN); /* it starts in the background */
    jobs_row("tcsetpgrp to its own group", tcsetpgrp(0, getpgrp()));
    jobs_row("tcgetpgrp == its group", tcgetpgrp(0) == getpgrp());
    char byte;
    jobs_row("read in the foreground (no input: end of file)", read(0, &byte, 1));
    jobs_row("tcsetpgrp back to the parent's group", tcsetpgrp(0, getppid()));
}

int main(void)
{
    pid_t self = getpid();
    jobs_row("session leader", getsid(0) == self);
    jobs_row("tcgetpgrp == getpgrp", tcgetpgrp(0) == getpgrp());
    int sid = 0;
    jobs_row("TIOCGSID", ioctl(0, TIOCGSID, &sid));
    jobs_row("TIOCGSID == getsid", sid == getsid(0));
    jobs_row("tcsetpgrp to its own group", tcsetpgrp(0, getpgrp()));
    jobs_row("tcsetpgrp(-1)", tcsetpgrp(0, -1));
    jobs_row("tcsetpgrp to no group", tcsetpgrp(0, 30000));
    int fd = open("/dev/tty", O_RDWR);
    jobs_row("open /dev/tty >= 0", fd >= 0);
    jobs_row("tcgetpgrp of /dev/tty == getpgrp", tcgetpgrp(fd) == getpgrp());
    jobs_row("TIOCSCTTY by its own session leader", ioctl(fd, TIOCSCTTY, 0));
    jobs_child(jobs_other_session);
    jobs_child(jobs_background);
    jobs_child(jobs_foreground_child);
    jobs_row("tcgetpgrp back at the parent's group", tcgetpgrp(0) == getpgrp());
    return 0;
}
