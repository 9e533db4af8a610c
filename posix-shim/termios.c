/* posix-shim's terminal attribute helpers that need no tty: the speed fields and cfmakeraw, with
 * Linux's (glibc's) semantics on struct termios. */
#include <errno.h>
#include <termios.h>

#include "shim.h"

speed_t cfgetispeed(const struct termios *termios)
{
    return termios->c_cflag & CBAUD;
}

speed_t cfgetospeed(const struct termios *termios)
{
    return termios->c_cflag & CBAUD;
}

/* A speed is one of the B* codes; anything else is EINVAL. Input and output share c_cflag's CBAUD
 * bits, as on Linux. */
static int termios_speed_valid(speed_t speed)
{
    return (speed & ~(speed_t)CBAUD) == 0 && (speed <= B38400 || (speed >= B57600 && speed <= B1000000));
}

int cfsetospeed(struct termios *termios, speed_t speed)
{
    if (!termios_speed_valid(speed))
        return (int)shim_return(-EINVAL);
    termios->c_cflag = (termios->c_cflag & ~(tcflag_t)CBAUD) | speed;
    termios->c_ospeed = speed;
    return 0;
}

/* Speed 0 for input means "the same as output" (POSIX), so it changes nothing. */
int cfsetispeed(struct termios *termios, speed_t speed)
{
    if (!termios_speed_valid(speed))
        return (int)shim_return(-EINVAL);
    if (speed != 0) {
        termios->c_cflag = (termios->c_cflag & ~(tcflag_t)CBAUD) | speed;
        termios->c_ispeed = speed;
    }
    return 0;
}

int cfsetspeed(struct termios *termios, speed_t speed)
{
    if (cfsetospeed(termios, speed) < 0)
        return -1;
    return cfsetispeed(termios, speed);
}

/* As glibc: no input processing, no output processing, 8 bits, no echo, no signals, and reads
 * return after one byte. */
void cfmakeraw(struct termios *termios)
{
    termios->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    termios->c_oflag &= ~(tcflag_t)OPOST;
    termios->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    termios->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    termios->c_cflag |= CS8;
    termios->c_cc[VMIN] = 1;
    termios->c_cc[VTIME] = 0;
}
