/* posix-shim's resolver error state: h_errno and hstrerror with glibc's texts. The lookups
 * themselves come with the socket server. */
#include <netdb.h>

int h_errno;

const char *hstrerror(int code)
{
    switch (code) {
    case 0:
        return "Resolver Error 0 (no error)";
    case HOST_NOT_FOUND:
        return "Unknown host";
    case TRY_AGAIN:
        return "Host name lookup failure";
    case NO_RECOVERY:
        return "Unknown server error";
    case NO_DATA:
        return "No address associated with name";
    default:
        return "Unknown resolver error";
    }
}
