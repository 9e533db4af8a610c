/* Terminal settings (posix-shim): glibc's struct termios and Linux's constants, so programs
 * built for Linux see the same values; the functions are posix-shim's termios.c. */
#ifndef _SYS_TERMIOS_H
#define _SYS_TERMIOS_H

#include <sys/cdefs.h>
#include <sys/types.h>

#include <aramid/termios.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned char cc_t;
typedef unsigned int speed_t;
typedef unsigned int tcflag_t;

#define NCCS 32

/* glibc's layout: its first 36 bytes are the kernel's struct termios (aramid/termios.h). */
struct termios {
    tcflag_t c_iflag;
    tcflag_t c_oflag;
    tcflag_t c_cflag;
    tcflag_t c_lflag;
    cc_t c_line;
    cc_t c_cc[NCCS];
    speed_t c_ispeed;
    speed_t c_ospeed;
};

#define _POSIX_VDISABLE '\0'

#define VINTR ARAMID_VINTR
#define VQUIT ARAMID_VQUIT
#define VERASE ARAMID_VERASE
#define VKILL ARAMID_VKILL
#define VEOF ARAMID_VEOF
#define VTIME ARAMID_VTIME
#define VMIN ARAMID_VMIN
#define VSWTC ARAMID_VSWTC
#define VSTART ARAMID_VSTART
#define VSTOP ARAMID_VSTOP
#define VSUSP ARAMID_VSUSP
#define VEOL ARAMID_VEOL
#define VREPRINT ARAMID_VREPRINT
#define VDISCARD ARAMID_VDISCARD
#define VWERASE ARAMID_VWERASE
#define VLNEXT ARAMID_VLNEXT
#define VEOL2 ARAMID_VEOL2

#define IGNBRK ARAMID_IGNBRK
#define BRKINT ARAMID_BRKINT
#define IGNPAR ARAMID_IGNPAR
#define PARMRK ARAMID_PARMRK
#define INPCK ARAMID_INPCK
#define ISTRIP ARAMID_ISTRIP
#define INLCR ARAMID_INLCR
#define IGNCR ARAMID_IGNCR
#define ICRNL ARAMID_ICRNL
#define IUCLC ARAMID_IUCLC
#define IXON ARAMID_IXON
#define IXANY ARAMID_IXANY
#define IXOFF ARAMID_IXOFF
#define IMAXBEL ARAMID_IMAXBEL
#define IUTF8 ARAMID_IUTF8

#define OPOST ARAMID_OPOST
#define OLCUC ARAMID_OLCUC
#define ONLCR ARAMID_ONLCR
#define OCRNL ARAMID_OCRNL
#define ONOCR ARAMID_ONOCR
#define ONLRET ARAMID_ONLRET
#define OFILL ARAMID_OFILL
#define OFDEL ARAMID_OFDEL
#define NLDLY ARAMID_NLDLY
#define CRDLY ARAMID_CRDLY
#define TABDLY ARAMID_TABDLY
#define XTABS ARAMID_XTABS
#define TAB0 0000000u
#define TAB3 ARAMID_XTABS
#define BSDLY ARAMID_BSDLY
#define VTDLY ARAMID_VTDLY
#define FFDLY ARAMID_FFDLY

#define CBAUD ARAMID_CBAUD
#define CSIZE ARAMID_CSIZE
#define CS5 ARAMID_CS5
#define CS6 ARAMID_CS6
#define CS7 ARAMID_CS7
#define CS8 ARAMID_CS8
#define CSTOPB ARAMID_CSTOPB
#define CREAD ARAMID_CREAD
#define PARENB ARAMID_PARENB
#define PARODD ARAMID_PARODD
#define HUPCL ARAMID_HUPCL
#define CLOCAL ARAMID_CLOCAL
#define CBAUDEX ARAMID_CBAUDEX
#define CIBAUD ARAMID_CIBAUD
#define CMSPAR ARAMID_CMSPAR
#define CRTSCTS ARAMID_CRTSCTS

#define B0 ARAMID_B0
#define B50 ARAMID_B50
#define B75 ARAMID_B75
#define B110 ARAMID_B110
#define B134 ARAMID_B134
#define B150 ARAMID_B150
#define B200 ARAMID_B200
#define B300 ARAMID_B300
#define B600 ARAMID_B600
#define B1200 ARAMID_B1200
#define B1800 ARAMID_B1800
#define B2400 ARAMID_B2400
#define B4800 ARAMID_B4800
#define B9600 ARAMID_B9600
#define B19200 ARAMID_B19200
#define B38400 ARAMID_B38400
#define B57600 ARAMID_B57600
#define B115200 ARAMID_B115200
#define B230400 ARAMID_B230400
#define B460800 ARAMID_B460800
#define B500000 ARAMID_B500000
#define B576000 ARAMID_B576000
#define B921600 ARAMID_B921600
#define B1000000 ARAMID_B1000000
#define B1152000 ARAMID_B1152000
#define B1500000 ARAMID_B1500000
#define B2000000 ARAMID_B2000000
#define B2500000 ARAMID_B2500000
#define B3000000 ARAMID_B3000000
#define B3500000 ARAMID_B3500000
#define B4000000 ARAMID_B4000000

#define ISIG ARAMID_ISIG
#define ICANON ARAMID_ICANON
#define XCASE ARAMID_XCASE
#define ECHO ARAMID_ECHO
#define ECHOE ARAMID_ECHOE
#define ECHOK ARAMID_ECHOK
#define ECHONL ARAMID_ECHONL
#define NOFLSH ARAMID_NOFLSH
#define TOSTOP ARAMID_TOSTOP
#define ECHOCTL ARAMID_ECHOCTL
#define ECHOPRT ARAMID_ECHOPRT
#define ECHOKE ARAMID_ECHOKE
#define FLUSHO ARAMID_FLUSHO
#define PENDIN ARAMID_PENDIN
#define IEXTEN ARAMID_IEXTEN
#define EXTPROC ARAMID_EXTPROC

#define TCSANOW ARAMID_TCSANOW
#define TCSADRAIN ARAMID_TCSADRAIN
#define TCSAFLUSH ARAMID_TCSAFLUSH
#define TCIFLUSH ARAMID_TCIFLUSH
#define TCOFLUSH ARAMID_TCOFLUSH
#define TCIOFLUSH ARAMID_TCIOFLUSH

int tcgetattr(int fd, struct termios *termios);
int tcsetattr(int fd, int action, const struct termios *termios);
int tcflush(int fd, int queue);
int tcdrain(int fd);
void cfmakeraw(struct termios *termios);
speed_t cfgetispeed(const struct termios *termios);
speed_t cfgetospeed(const struct termios *termios);
int cfsetispeed(struct termios *termios, speed_t speed);
int cfsetospeed(struct termios *termios, speed_t speed);
int cfsetspeed(struct termios *termios, speed_t speed);

#ifdef __cplusplus
}
#endif

#endif
