/* SDK test: the console as controlling terminal (Linux's rules): the login program's session
 * owns it, tcsetpgrp's errors, another session's ENOTTY and ENXIO, a background group's SIGTTOU
 * and SIGTTIN (caught, ignored), TOSTOP's SIGTTOU for a background write, handing the
 * foreground to a child's group and back, and O_NOCTTY opens of a free terminal. */
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

/* In the background with TOSTOP set: a write gets SIGTTOU (caught: EINTR), or goes on with
 * SIGTTOU ignored. Rows are printed only once SIGTTOU is ignored (a row is a write too). */
static void jobs_tostop(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = jobs_on_signal; /* no SA_RESTART: the write ends with EINTR */
    long grouped = setpgid(0, 0);
    jobs_caught = 0;
    (void)sigaction(SIGTTOU, &action, NULL);
    long caught_write = write(1, "not written\n", 12);
    int caught_error = errno;
    int caught = jobs_caught == SIGTTOU;
    (void)signal(SIGTTOU, SIG_IGN);
    jobs_row("tostop: child setpgid(0, 0)", grouped);
    errno = caught_error;
    jobs_row("tostop: background write (SIGTTOU caught)", caught_write);
    jobs_row("tostop: caught SIGTTOU", caught);
    fflush(stdout);
    jobs_row("tostop: background write with SIGTTOU ignored", write(1, "written\n", 8));
}

/* A background group that its creator's exit orphans: with TOSTOP a write is EIO (SIGTTOU
 * cannot stop an orphaned group). The grandchild reports through jobs_report, not the
 * terminal it cannot write to. */
static int jobs_report = -1;

static void jobs_orphan(void)
{
    int gone[2]; /* end of file once the child has exited */
    if (pipe(gone) != 0)
        return;
    pid_t grandchild = fork();
    if (grandchild == 0) {
        (void)setpgid(0, 0);
        close(gone[1]);
        char byte;
        (void)read(gone[0], &byte, 1);
        long written = write(1, "orphan\n", 7);
        dprintf(jobs_report, "tostop: orphaned background write = %ld%s\n", written < 0 ? -1l : written,
                written < 0 && errno == EIO ? " EIO" : written < 0 ? " other" : "");
        _exit(0);
    }
    (void)setpgid(grandchild, grandchild);
}

/* A new session's leader and a free terminal: an O_NOCTTY open does not make it the
 * controlling terminal, an open without it does. */
static void jobs_noctty(void)
{
    const char *name = ttyname(0);
    jobs_row("noctty: child setsid > 0", setsid() > 0);
    int fd = open(name, O_RDWR | O_NOCTTY);
    jobs_row("noctty: open O_NOCTTY >= 0", fd >= 0);
    jobs_row("noctty: tcgetpgrp after the O_NOCTTY open", tcgetpgrp(fd));
    int sid = 0;
    jobs_row("noctty: TIOCGSID after the O_NOCTTY open", ioctl(fd, TIOCGSID, &sid));
    int acquired = open(name, O_RDWR);
    jobs_row("noctty: open without O_NOCTTY >= 0", acquired >= 0);
    jobs_row("noctty: tcgetpgrp == getpgrp", tcgetpgrp(acquired) == getpgrp());
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
    struct termios settings;
    jobs_row("tcgetattr", tcgetattr(0, &settings));
    settings.c_lflag |= TOSTOP;
    jobs_row("tcsetattr TOSTOP", tcsetattr(0, TCSANOW, &settings));
    jobs_child(jobs_tostop);
    int report[2];
    if (pipe(report) == 0) {
        jobs_report = report[1];
        jobs_child(jobs_orphan);
        close(report[1]);
        char line[128];
        ssize_t got;
        fflush(stdout);
        while ((got = read(report[0], line, sizeof(line))) > 0)
            fwrite(line, 1, (size_t)got, stdout);
        close(report[0]);
    }
    settings.c_lflag &= ~(tcflag_t)TOSTOP;
    jobs_row("tcsetattr without TOSTOP", tcsetattr(0, TCSANOW, &settings));
    (void)signal(SIGHUP, SIG_IGN); /* giving the terminal up hangs up its foreground group */
    jobs_row("TIOCNOTTY by the session leader", ioctl(0, TIOCNOTTY));
    jobs_child(jobs_noctty);
    jobs_row("TIOCSCTTY again", ioctl(0, TIOCSCTTY, 0));
    jobs_row("tcgetpgrp == getpgrp again", tcgetpgrp(0) == getpgrp());
    return 0;
}
