/* SDK test program for the console tty (tests/sdk/test_console_interactive.py types at it):
 * termios and window size, canonical lines with editing, ^C interrupting a read with a handler,
 * raw mode with VMIN/VTIME, and ^C's default action. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t interrupts;

static void on_interrupt(int signal)
{
    (void)signal;
    interrupts++;
}

static void prompt(const char *text)
{
    fputs(text, stdout);
    fflush(stdout);
}

int main(void)
{
    struct termios saved, raw;
    struct winsize size;
    char line[256];
    printf("isatty %d %d %d\n", isatty(0), isatty(1), isatty(2));
    if (tcgetattr(0, &saved) != 0 || ioctl(0, TIOCGWINSZ, &size) != 0) {
        perror("console: tcgetattr or TIOCGWINSZ");
        return 1;
    }
    printf("icanon %d echo %d isig %d, %s, %dx%d\n", (saved.c_lflag & ICANON) != 0,
           (saved.c_lflag & ECHO) != 0, (saved.c_lflag & ISIG) != 0, ttyname(0), size.ws_row,
           size.ws_col);

    for (;;) {
        prompt("> ");
        if (fgets(line, sizeof line, stdin) == NULL) {
            printf("end of file\n");
            clearerr(stdin);
            continue;
        }
        line[strcspn(line, "\n")] = '\0';
        printf("read [%s]\n", line);
        if (strcmp(line, "quit") == 0)
            break;
    }

    struct sigaction action = {.sa_handler = on_interrupt}; /* no SA_RESTART: read fails */
    sigaction(SIGINT, &action, NULL);
    prompt("handler> ");
    ssize_t n = read(0, line, sizeof line);
    printf("read %d %s, %d interrupts\n", (int)n, n < 0 && errno == EINTR ? "EINTR" : "-",
           (int)interrupts);

    raw = saved;
    cfmakeraw(&raw);
    tcsetattr(0, TCSANOW, &raw);
    prompt("raw> ");
    n = read(0, line, 1);
    printf("raw %d byte %d\n", (int)n, line[0]);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 2; /* nothing is typed: read gives 0 after 0.2 s */
    tcsetattr(0, TCSANOW, &raw);
    n = read(0, line, sizeof line);
    printf("timed read %d\n", (int)n);
    tcsetattr(0, TCSAFLUSH, &saved);

    signal(SIGINT, SIG_DFL);
    prompt("last> ");
    if (fgets(line, sizeof line, stdin) != NULL)
        printf("read [%s] after ^C\n", line);
    return 0;
}
