/* Address conversions: inet_aton, inet_addr, inet_ntoa, inet_pton and inet_ntop for IPv4 and
 * IPv6 on valid, odd and invalid text, as glibc converts them. */
#include <arpa/inet.h>

#include "contract.h"

static void ipv4(const char *text)
{
    struct in_addr address = {0};
    int ok = inet_aton(text, &address);
    unsigned char bytes[4] = {0};
    int strict = inet_pton(AF_INET, text, bytes);
    printf("[%s]: aton %d %s, addr %s, pton %d", text, ok, ok ? inet_ntoa(address) : "-",
           inet_addr(text) == INADDR_NONE ? "NONE" : "value", strict);
    if (strict == 1)
        printf(" %u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
    printf("\n");
}

static void ipv6(const char *text)
{
    unsigned char bytes[16];
    char back[INET6_ADDRSTRLEN];
    int result = inet_pton(AF_INET6, text, bytes);
    printf("[%s]: pton6 %d", text, result);
    if (result == 1)
        printf(" -> %s", inet_ntop(AF_INET6, bytes, back, sizeof back));
    printf("\n");
}

int main(void)
{
    contract_start();
    const char *v4[] = {"127.0.0.1", "0.0.0.0", "255.255.255.255", "1.2.3", "1.2", "16909060",
                        "0x7f.1", "0177.0.0.1", "010.0.0.1", "1.2.3.4 trailing", "1.2.3.4x",
                        "256.1.1.1", "1.2.3.4.5", "", "1..2.3", " 1.2.3.4", "1.2.3.04",
                        "1.2.3.256", "0x100.1", "4294967295", "4294967296", "1.16777215",
                        "1.16777216", "08.1.1.1", "0xg.1.1.1", "1.2.3.", "0x"};
    for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
        ipv4(v4[i]);
    const char *v6[] = {"::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:0:0:0:0:0:0:8", "1:0:0:1:0:0:0:1",
                        "0:0:1:0:0:1:0:0", "fe80::1:2", "FE80::ABCD", "::ffff:1.2.3.4",
                        "::1.2.3.4", "::ffff:0:1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1::2::3",
                        ":1::2", "1::2:", "1:2:3:4:5:6:7:8:9", "12345::", "1:2:3:4:5:6:7::",
                        "::1:2:3:4:5:6:7", "g::", "", ":", ":::", "1:2:3:4:5:6:7:8::",
                        "::0.0.0.1", "::ffff:255.255.255.255", "1:0:0:2:0:0:0:3", "0:0::0:1",
                        "2001:db8::1.2.3.4", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "0::ffff:1.2.3.4"};
    for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
        ipv6(v6[i]);
    unsigned char bytes[16] = {1, 2, 3, 4};
    char small[8];
    errno = 0;
    const char *text = inet_ntop(AF_INET, bytes, small, 7);
    printf("ntop into 7 bytes: %s %s\n", text ? text : "NULL", errno_name(errno));
    errno = 0;
    int result = inet_pton(99, "1.2.3.4", bytes);
    printf("pton family 99: %d %s\n", result, errno_name(errno));
    errno = 0;
    text = inet_ntop(99, bytes, small, sizeof small);
    printf("ntop family 99: %s %s\n", text ? text : "NULL", errno_name(errno));
    return contract_pass();
}
