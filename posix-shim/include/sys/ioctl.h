/* ioctl (posix-shim): Linux's request numbers for terminals and FIONREAD/FIONBIO; ioctl returns
 * ENOSYS. */
#ifndef _SYS_IOCTL_H_
#define _SYS_IOCTL_H_

#include <sys/cdefs.h>

#ifdef __cplusplus
extern "C" {
#endif

struct winsize {
    unsigned short ws_row;
    unsigned short ws_col;
    unsigned short ws_xpixel;
    unsigned short ws_ypixel;
};

#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541b
#define FIONBIO 0x5421
#define FIOCLEX 0x5451
#define FIONCLEX 0x5450

int ioctl(int fd, unsigned long request, ...);

#ifdef __cplusplus
}
#endif

#endif
