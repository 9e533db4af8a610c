/* posix-shim's <termios.h> (newlib's includes a <sys/termios.h> it does not have). */
#ifndef POSIX_SHIM_TERMIOS_H
#define POSIX_SHIM_TERMIOS_H

#include <sys/termios.h>

#endif
