/* ioctl (posix-shim): Linux's request numbers for terminals and FIONREAD/FIONBIO/FIOCLEX. The
 * console answers the terminal requests (console_tty.c); other files give ENOTTY. */
#ifndef _SYS_IOCTL_H_
#define _SYS_IOCTL_H_

#include <sys/cdefs.h>

#include <aramid/termios.h>

#ifdef __cplusplus
extern "C" {
#endif

struct winsize {
    unsigned short ws_row;
    unsigned short ws_col;
    unsigned short ws_xpixel;
    unsigned short ws_ypixel;
};

#define TCGETS ARAMID_TCGETS
#define TCSETS ARAMID_TCSETS
#define TCSETSW ARAMID_TCSETSW
#define TCSETSF ARAMID_TCSETSF
#define TCSBRK ARAMID_TCSBRK
#define TCFLSH ARAMID_TCFLSH
#define TIOCGPGRP ARAMID_TIOCGPGRP
#define TIOCSPGRP ARAMID_TIOCSPGRP
#define TIOCSCTTY ARAMID_TIOCSCTTY
#define TIOCNOTTY ARAMID_TIOCNOTTY
#define TIOCGSID ARAMID_TIOCGSID
#define TIOCGWINSZ ARAMID_TIOCGWINSZ
#define TIOCSWINSZ ARAMID_TIOCSWINSZ
#define FIONREAD ARAMID_FIONREAD
#define TIOCINQ ARAMID_FIONREAD
#define FIONBIO 0x5421
#define FIOCLEX 0x5451
#define FIONCLEX 0x5450

int ioctl(int fd, unsigned long request, ...);

#ifdef __cplusplus
}
#endif

#endif
