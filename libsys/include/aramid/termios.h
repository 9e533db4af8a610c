/* Terminal settings as Linux defines them: struct termios as its TCGETS ioctl sees it, the
 * window size, the flag bits, control-character indices and ioctl numbers. Shared by the tty
 * line discipline (servers/vfs/tty.c), posix-shim's <termios.h> and the vfs protocol. */
#ifndef ARAMID_TERMIOS_H
#define ARAMID_TERMIOS_H

/* Control characters in the kernel's struct termios (glibc's user struct has 32, the first
 * 19 the same). */
#define ARAMID_NCCS 19

/* Linux's struct termios of TCGETS/TCSETS (asm-generic/termbits.h): 36 bytes, no speeds (they
 * are in c_cflag). glibc's struct termios starts with exactly these fields. */
struct aramid_termios {
    unsigned int c_iflag;
    unsigned int c_oflag;
    unsigned int c_cflag;
    unsigned int c_lflag;
    unsigned char c_line;
    unsigned char c_cc[ARAMID_NCCS];
};
_Static_assert(sizeof(struct aramid_termios) == 36, "Linux's kernel struct termios");

struct aramid_winsize {
    unsigned short ws_row;
    unsigned short ws_col;
    unsigned short ws_xpixel;
    unsigned short ws_ypixel;
};

/* c_cc indices */
#define ARAMID_VINTR 0
#define ARAMID_VQUIT 1
#define ARAMID_VERASE 2
#define ARAMID_VKILL 3
#define ARAMID_VEOF 4
#define ARAMID_VTIME 5
#define ARAMID_VMIN 6
#define ARAMID_VSWTC 7
#define ARAMID_VSTART 8
#define ARAMID_VSTOP 9
#define ARAMID_VSUSP 10
#define ARAMID_VEOL 11
#define ARAMID_VREPRINT 12
#define ARAMID_VDISCARD 13
#define ARAMID_VWERASE 14
#define ARAMID_VLNEXT 15
#define ARAMID_VEOL2 16

/* c_iflag */
#define ARAMID_IGNBRK 0000001u
#define ARAMID_BRKINT 0000002u
#define ARAMID_IGNPAR 0000004u
#define ARAMID_PARMRK 0000010u
#define ARAMID_INPCK 0000020u
#define ARAMID_ISTRIP 0000040u
#define ARAMID_INLCR 0000100u
#define ARAMID_IGNCR 0000200u
#define ARAMID_ICRNL 0000400u
#define ARAMID_IUCLC 0001000u
#define ARAMID_IXON 0002000u
#define ARAMID_IXANY 0004000u
#define ARAMID_IXOFF 0010000u
#define ARAMID_IMAXBEL 0020000u
#define ARAMID_IUTF8 0040000u

/* c_oflag */
#define ARAMID_OPOST 0000001u
#define ARAMID_OLCUC 0000002u
#define ARAMID_ONLCR 0000004u
#define ARAMID_OCRNL 0000010u
#define ARAMID_ONOCR 0000020u
#define ARAMID_ONLRET 0000040u
#define ARAMID_OFILL 0000100u
#define ARAMID_OFDEL 0000200u
#define ARAMID_NLDLY 0000400u
#define ARAMID_CRDLY 0003000u
#define ARAMID_TABDLY 0014000u
#define ARAMID_XTABS 0014000u
#define ARAMID_BSDLY 0020000u
#define ARAMID_VTDLY 0040000u
#define ARAMID_FFDLY 0100000u

/* c_cflag */
#define ARAMID_CBAUD 0010017u
#define ARAMID_CSIZE 0000060u
#define ARAMID_CS5 0000000u
#define ARAMID_CS6 0000020u
#define ARAMID_CS7 0000040u
#define ARAMID_CS8 0000060u
#define ARAMID_CSTOPB 0000100u
#define ARAMID_CREAD 0000200u
#define ARAMID_PARENB 0000400u
#define ARAMID_PARODD 0001000u
#define ARAMID_HUPCL 0002000u
#define ARAMID_CLOCAL 0004000u
#define ARAMID_CBAUDEX 0010000u
#define ARAMID_CIBAUD 002003600000u
#define ARAMID_CMSPAR 010000000000u
#define ARAMID_CRTSCTS 020000000000u

/* Speeds (in c_cflag & CBAUD) */
#define ARAMID_B0 0000000u
#define ARAMID_B50 0000001u
#define ARAMID_B75 0000002u
#define ARAMID_B110 0000003u
#define ARAMID_B134 0000004u
#define ARAMID_B150 0000005u
#define ARAMID_B200 0000006u
#define ARAMID_B300 0000007u
#define ARAMID_B600 0000010u
#define ARAMID_B1200 0000011u
#define ARAMID_B1800 0000012u
#define ARAMID_B2400 0000013u
#define ARAMID_B4800 0000014u
#define ARAMID_B9600 0000015u
#define ARAMID_B19200 0000016u
#define ARAMID_B38400 0000017u
#define ARAMID_B57600 0010001u
#define ARAMID_B115200 0010002u
#define ARAMID_B230400 0010003u
#define ARAMID_B460800 0010004u
#define ARAMID_B500000 0010005u
#define ARAMID_B576000 0010006u
#define ARAMID_B921600 0010007u
#define ARAMID_B1000000 0010010u
#define ARAMID_B1152000 0010011u
#define ARAMID_B1500000 0010012u
#define ARAMID_B2000000 0010013u
#define ARAMID_B2500000 0010014u
#define ARAMID_B3000000 0010015u
#define ARAMID_B3500000 0010016u
#define ARAMID_B4000000 0010017u

/* c_lflag */
#define ARAMID_ISIG 0000001u
#define ARAMID_ICANON 0000002u
#define ARAMID_XCASE 0000004u
#define ARAMID_ECHO 0000010u
#define ARAMID_ECHOE 0000020u
#define ARAMID_ECHOK 0000040u
#define ARAMID_ECHONL 0000100u
#define ARAMID_NOFLSH 0000200u
#define ARAMID_TOSTOP 0000400u
#define ARAMID_ECHOCTL 0001000u
#define ARAMID_ECHOPRT 0002000u
#define ARAMID_ECHOKE 0004000u
#define ARAMID_FLUSHO 0010000u
#define ARAMID_PENDIN 0040000u
#define ARAMID_IEXTEN 0100000u
#define ARAMID_EXTPROC 0200000u

/* tcsetattr actions, tcflush queues, tcflow actions */
#define ARAMID_TCSANOW 0
#define ARAMID_TCSADRAIN 1
#define ARAMID_TCSAFLUSH 2
#define ARAMID_TCIFLUSH 0
#define ARAMID_TCOFLUSH 1
#define ARAMID_TCIOFLUSH 2
#define ARAMID_TCOOFF 0
#define ARAMID_TCOON 1
#define ARAMID_TCIOFF 2
#define ARAMID_TCION 3

/* ioctl requests */
#define ARAMID_TCGETS 0x5401ul
#define ARAMID_TCSETS 0x5402ul
#define ARAMID_TCSETSW 0x5403ul
#define ARAMID_TCSETSF 0x5404ul
#define ARAMID_TCSBRK 0x5409ul
#define ARAMID_TCXONC 0x540aul
#define ARAMID_TCFLSH 0x540bul
#define ARAMID_TIOCSCTTY 0x540eul
#define ARAMID_TIOCGPGRP 0x540ful
#define ARAMID_TIOCSPGRP 0x5410ul
#define ARAMID_TIOCOUTQ 0x5411ul
#define ARAMID_TIOCGWINSZ 0x5413ul
#define ARAMID_TIOCSWINSZ 0x5414ul
#define ARAMID_FIONREAD 0x541bul
#define ARAMID_TIOCNOTTY 0x5422ul
#define ARAMID_TIOCGSID 0x5429ul

#endif
