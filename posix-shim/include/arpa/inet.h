/* Internet address conversions (posix-shim; glibc's <arpa/inet.h>, posix-shim/inet.c). Byte
 * order macros come from <netinet/in.h>. */
#ifndef _ARPA_INET_H
#define _ARPA_INET_H

#include <netinet/in.h>
#include <sys/cdefs.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

in_addr_t inet_addr(const char *text);
int inet_aton(const char *text, struct in_addr *address);
char *inet_ntoa(struct in_addr address);
const char *inet_ntop(int family, const void *address, char *text, socklen_t size);
int inet_pton(int family, const char *text, void *address);

#ifdef __cplusplus
}
#endif

#endif
