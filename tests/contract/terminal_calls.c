/* Terminals: termios layout and constants, cfmakeraw and the speed helpers, and the terminal
 * calls on descriptors that are not terminals (a file) or not open. */
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "contract.h"

int main(void)
{
    contract_start();
    struct termios t;
    struct winsize size;
    printf("sizeof termios %zu, winsize %zu, c_cc at %zu, c_ispeed at %zu, NCCS %d\n",
           sizeof(struct termios), sizeof(struct winsize), offsetof(struct termios, c_cc),
           offsetof(struct termios, c_ispeed), NCCS);
    printf("TCGETS %#lx TCSETS %#lx TCSETSF %#lx TIOCGWINSZ %#lx TIOCSPGRP %#lx FIONREAD %#lx\n",
           (unsigned long)TCGETS, (unsigned long)TCSETS, (unsigned long)TCSETSF,
           (unsigned long)TIOCGWINSZ, (unsigned long)TIOCSPGRP, (unsigned long)FIONREAD);
    printf("ICANON %#o ECHO %#o ECHOE %#o ISIG %#o IEXTEN %#o ICRNL %#o OPOST %#o ONLCR %#o\n",
           ICANON, ECHO, ECHOE, ISIG, IEXTEN, ICRNL, OPOST, ONLCR);
    printf("VINTR %d VQUIT %d VERASE %d VKILL %d VEOF %d VTIME %d VMIN %d VSUSP %d VWERASE %d\n",
           VINTR, VQUIT, VERASE, VKILL, VEOF, VTIME, VMIN, VSUSP, VWERASE);

    memset(&t, 0xff, sizeof t);
    cfmakeraw(&t);
    printf("cfmakeraw: iflag %#x oflag %#x cflag %#x lflag %#x VMIN %d VTIME %d\n", t.c_iflag,
           t.c_oflag, t.c_cflag, t.c_lflag, t.c_cc[VMIN], t.c_cc[VTIME]);

    memset(&t, 0, sizeof t);
    contract_result("cfsetospeed(B9600)", cfsetospeed(&t, B9600));
    printf("cfgetospeed is B9600: %s, cflag %#x\n", cfgetospeed(&t) == B9600 ? "yes" : "no",
           t.c_cflag);
    contract_result("cfsetispeed(B115200)", cfsetispeed(&t, B115200));
    printf("cfgetispeed is B115200: %s\n", cfgetispeed(&t) == B115200 ? "yes" : "no");
    contract_result("cfsetospeed(12345)", cfsetospeed(&t, 12345));
    contract_result("cfsetispeed(0x1000)", cfsetispeed(&t, 0x1000));

    /* A file is no terminal; each good call first shows the file is open. */
    int fd = open(getenv("CONTRACT_SELF"), O_RDONLY);
    contract_result("open(self) ok", fd >= 0 ? 0 : -1);
    contract_result("tcgetattr(file)", tcgetattr(fd, &t));
    contract_result("ioctl(file, TIOCGWINSZ)", ioctl(fd, TIOCGWINSZ, &size));
    contract_result("tcsetattr(file, TCSANOW)", tcsetattr(fd, TCSANOW, &t));
    contract_result("tcsetattr(file, 99)", tcsetattr(fd, 99, &t));
    contract_result("tcflush(file, TCIFLUSH)", tcflush(fd, TCIFLUSH));
    contract_result("tcdrain(file)", tcdrain(fd));
    contract_result("tcgetpgrp(file)", tcgetpgrp(fd));
    contract_result("isatty(file)", isatty(fd));
    printf("ttyname(file) is NULL: %s, %s\n", ttyname(fd) == NULL ? "yes" : "no",
           errno_name(errno));
    char name[64];
    printf("ttyname_r(file) = %s\n", errno_name(ttyname_r(fd, name, sizeof name)));
    contract_result("close(file)", close(fd));

    contract_result("tcgetattr(99)", tcgetattr(99, &t));
    contract_result("ioctl(99, TCGETS)", ioctl(99, TCGETS, &t));
    contract_result("tcflush(99, TCIFLUSH)", tcflush(99, TCIFLUSH));
    printf("ttyname(99) is NULL: %s, %s\n", ttyname(99) == NULL ? "yes" : "no",
           errno_name(errno));
    return contract_pass();
}
