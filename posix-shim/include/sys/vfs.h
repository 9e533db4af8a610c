/* <sys/vfs.h> is <sys/statfs.h> (as in glibc). */
#include <sys/statfs.h>
