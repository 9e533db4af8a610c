/* Terminals (posix-shim): ioctl, the termios functions over TCGETS/TCSETS*, TCFLSH, TCSBRK,
 * TIOCGPGRP/TIOCSPGRP, and the speed helpers working on glibc's struct termios. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "fd.h"
#include "shim.h"

_Static_assert(sizeof(struct termios) == 60, "glibc's struct termios");
_Static_assert(offsetof(struct termios, c_lflag) == offsetof(struct aramid_termios, c_lflag) &&
                   offsetof(struct termios, c_line) == offsetof(struct aramid_termios, c_line) &&
                   offsetof(struct termios, c_cc) == offsetof(struct aramid_termios, c_cc),
               "the kernel's struct termios is the start of the user one");

/* Every request takes one argument: a pointer, or an integer passed in its place. */
int ioctl(int fd, unsigned long request, ...)
{
    va_list arguments;
    va_start(arguments, request);
    void *argument = va_arg(arguments, void *);
    va_end(arguments);
    return (int)shim_return(fd_ioctl(fd, request, argument));
}

int tcgetattr(int fd, struct termios *termios)
{
    struct aramid_termios kernel;
    struct termios user;
    long result = fd_ioctl(fd, ARAMID_TCGETS, &kernel);
    if (result < 0)
        return (int)shim_return(result);
    memset(&user, 0, sizeof(user));
    memcpy(&user, &kernel, sizeof(kernel)); /* the same first 36 bytes */
    user.c_ispeed = user.c_ospeed = kernel.c_cflag & CBAUD;
    return (int)shim_return(shim_copy_out(termios, &user, sizeof(user)));
}

int tcsetattr(int fd, int action, const struct termios *termios)
{
    static const unsigned long requests[] = {
        [TCSANOW] = TCSETS, [TCSADRAIN] = TCSETSW, [TCSAFLUSH] = TCSETSF};
    struct termios user;
    struct aramid_termios kernel;
    if (action < TCSANOW || action > TCSAFLUSH)
        return (int)shim_return(-EINVAL);
    if (shim_copy_in(&user, termios, sizeof(user)) != 0)
        return (int)shim_return(-EFAULT);
    memcpy(&kernel, &user, sizeof(kernel));
    return (int)shim_return(fd_ioctl(fd, requests[action], &kernel));
}

int tcflush(int fd, int queue)
{
    if (queue != TCIFLUSH && queue != TCOFLUSH && queue != TCIOFLUSH)
        return (int)shim_return(fd_lookup(fd) ? -EINVAL : -EBADF);
    return (int)shim_return(fd_ioctl(fd, TCFLSH, (void *)(long)queue));
}

int tcdrain(int fd)
{
    shim_cancel_point();
    return (int)shim_return(fd_ioctl(fd, TCSBRK, (void *)1l));
}

pid_t tcgetpgrp(int fd)
{
    int group;
    long result = fd_ioctl(fd, TIOCGPGRP, &group);
    return result < 0 ? (pid_t)shim_return(result) : (pid_t)group;
}

int tcsetpgrp(int fd, pid_t group)
{
    int value = (int)group;
    return (int)shim_return(fd_ioctl(fd, TIOCSPGRP, &value));
}

void cfmakeraw(struct termios *termios)
{
    termios->c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    termios->c_oflag &= ~OPOST;
    termios->c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    termios->c_cflag &= ~(CSIZE | PARENB);
    termios->c_cflag |= CS8;
    termios->c_cc[VMIN] = 1;
    termios->c_cc[VTIME] = 0;
}

speed_t cfgetospeed(const struct termios *termios)
{
    return termios->c_cflag & CBAUD;
}

speed_t cfgetispeed(const struct termios *termios)
{
    return termios->c_cflag & CBAUD;
}

/* What glibc accepts: any value within CBAUD (the Bnnn values, and BOTHER), or one in
 * B57600..B4000000. */
static int termios_speed_valid(speed_t speed)
{
    return (speed & ~CBAUD) == 0 || (speed >= B57600 && speed <= B4000000);
}

int cfsetospeed(struct termios *termios, speed_t speed)
{
    if (!termios_speed_valid(speed))
        return (int)shim_return(-EINVAL);
    termios->c_cflag = (termios->c_cflag & ~CBAUD) | speed;
    termios->c_ospeed = speed;
    return 0;
}

/* One speed for both directions (Linux keeps no separate input speed unless CIBAUD is used);
 * 0 means "the same as the output speed", as POSIX allows. */
int cfsetispeed(struct termios *termios, speed_t speed)
{
    if (!termios_speed_valid(speed))
        return (int)shim_return(-EINVAL);
    if (speed != B0)
        termios->c_cflag = (termios->c_cflag & ~CBAUD) | speed;
    termios->c_ispeed = speed;
    return 0;
}

int cfsetspeed(struct termios *termios, speed_t speed)
{
    if (cfsetospeed(termios, speed) != 0)
        return -1;
    return cfsetispeed(termios, speed);
}

/* The console is the only terminal posix-shim knows itself; the vfs backends answer for
 * theirs. */
int ttyname_r(int fd, char *buffer, size_t size)
{
    static const char console_path[] = "/dev/console";
    struct fd_file *file = fd_lookup(fd);
    if (file == NULL)
        return EBADF;
    if (file->backend != &console_backend)
        return ENOTTY;
    if (size < sizeof(console_path))
        return ERANGE;
    return shim_copy_out(buffer, console_path, sizeof(console_path)) == 0 ? 0 : EFAULT;
}

char *ttyname(int fd)
{
    static char name[32];
    int error = ttyname_r(fd, name, sizeof(name));
    if (error != 0) {
        errno = error;
        return NULL;
    }
    return name;
}
