/* Blocked pipe reads, FIFO opens and F_SETLKW under signals: EINTR without SA_RESTART, restarted with it. */
#include <fcntl.h>
#include <sys/stat.h>

#include "contract.h"

static volatile sig_atomic_t alarms;

static void on_alarm(int signal)
{
    (void)signal;
    alarms++;
}

static void catch_alarm(int flags)
{
    struct sigaction action = {.sa_handler = on_alarm, .sa_flags = flags};
    sigemptyset(&action.sa_mask);
    sigaction(SIGALRM, &action, NULL);
}

int main(void)
{
    contract_start();
    char buffer[16];
    int fds[2];
    R(pipe(fds));
    /* No SA_RESTART: the read of the empty pipe ends with EINTR. */
    catch_alarm(0);
    alarm(1);
    R(read(fds[0], buffer, sizeof(buffer)));
    printf("alarms: %d\n", alarms);
    /* SA_RESTART: the read goes on and gets what a child writes after the signal. */
    catch_alarm(SA_RESTART);
    pid_t child = contract_fork();
    if (child == 0) {
        sleep(2);
        write(fds[1], "late", 4);
        _exit(0);
    }
    alarm(1);
    R(read(fds[0], buffer, sizeof(buffer)));
    printf("alarms: %d\n", alarms);
    contract_reap("writer", child);
    R(close(fds[0]));
    R(close(fds[1]));
    /* A FIFO's open waits for the other end; a signal ends it with EINTR. */
    char scratch[] = "/tmp/contract-XXXXXX";
    contract_scratch_start(scratch);
    R(mkfifo("fifo", 0600));
    catch_alarm(0);
    alarm(1);
    R(open("fifo", O_RDONLY));
    R(open("fifo", O_WRONLY | O_NONBLOCK));
    R(open("fifo", O_RDONLY | O_NONBLOCK) >= 0);
    /* F_SETLKW on a lock another process holds: EINTR. */
    int fd = open("file", O_RDWR | O_CREAT, 0600);
    int ready[2];
    pipe(ready);
    child = contract_fork();
    if (child == 0) {
        int own = open("file", O_RDWR);
        struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
        fcntl(own, F_SETLK, &lock);
        write(ready[1], "r", 1);
        sleep(3);
        _exit(0);
    }
    read(ready[0], buffer, 1);
    struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    alarm(1);
    R(fcntl(fd, F_SETLKW, &lock));
    contract_reap("lock holder", child);
    R(fcntl(fd, F_SETLKW, &lock));
    printf("alarms: %d\n", alarms);
    R(close(fd));
    R(unlink("file"));
    R(unlink("fifo"));
    R(chdir("/"));
    R(rmdir(scratch));
    return contract_pass();
}
