/* Internet address conversions (<arpa/inet.h>): inet_aton, inet_addr, inet_ntoa, inet_pton and
 * inet_ntop for AF_INET and AF_INET6, with glibc's (BIND's) rules. Pure string work. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The classic forms a, a.b, a.b.c, a.b.c.d, each part decimal, octal (0...) or hex (0x...);
 * the last part fills the remaining bytes. Trailing white space ends the address. */
int inet_aton(const char *text, struct in_addr *address)
{
    uint32_t parts[4];
    int count = 0;
    const char *c = text;
    for (;;) {
        if (!isdigit((unsigned char)*c))
            return 0;
        uint64_t value = 0;
        int base = 10;
        if (*c == '0') {
            base = 8;
            c++;
            if (*c == 'x' || *c == 'X') {
                base = 16;
                c++;
                if (!isxdigit((unsigned char)*c))
                    return 0; /* "0x" without digits */
            }
        }
        for (;; c++) {
            int digit;
            if (isdigit((unsigned char)*c))
                digit = *c - '0';
            else if (base == 16 && isxdigit((unsigned char)*c))
                digit = tolower((unsigned char)*c) - 'a' + 10;
            else
                break;
            if (digit >= base)
                return 0;
            value = value * (uint64_t)base + (uint64_t)digit;
            if (value > 0xffffffffu)
                return 0;
        }
        if (count == 4)
            return 0;
        parts[count++] = (uint32_t)value;
        if (*c != '.')
            break;
        c++;
    }
    if (*c != '\0' && !isspace((unsigned char)*c))
        return 0;
    uint32_t result = parts[count - 1];
    uint32_t last_max[] = {0xffffffffu, 0xffffffu, 0xffffu, 0xffu};
    if (result > last_max[count - 1])
        return 0;
    for (int i = 0; i < count - 1; i++) {
        if (parts[i] > 0xff)
            return 0;
        result |= parts[i] << (24 - 8 * i);
    }
    if (address != NULL)
        address->s_addr = htonl(result);
    return 1;
}

in_addr_t inet_addr(const char *text)
{
    struct in_addr address;
    return inet_aton(text, &address) ? address.s_addr : INADDR_NONE;
}

char *inet_ntoa(struct in_addr address)
{
    static char text[INET_ADDRSTRLEN];
    const unsigned char *bytes = (const unsigned char *)&address.s_addr;
    snprintf(text, sizeof(text), "%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
    return text;
}

/* Exactly four decimal parts 0..255, no leading zeros. */
static int inet_pton4(const char *text, unsigned char out[4])
{
    unsigned char bytes[4];
    int octets = 0, digits = 0;
    unsigned value = 0;
    for (const char *c = text;; c++) {
        if (isdigit((unsigned char)*c)) {
            if (digits > 0 && value == 0)
                return 0; /* a leading zero */
            value = value * 10 + (unsigned)(*c - '0');
            if (value > 255 || ++digits > 3)
                return 0;
        } else if ((*c == '.' || *c == '\0') && digits > 0) {
            if (octets == 4)
                return 0;
            bytes[octets++] = (unsigned char)value;
            value = 0;
            digits = 0;
            if (*c == '\0')
                break;
        } else {
            return 0;
        }
    }
    if (octets != 4)
        return 0;
    memcpy(out, bytes, 4);
    return 1;
}

/* Eight groups of up to four hex digits, one "::" for a run of zero groups, and a dotted
 * IPv4 address in place of the last two groups. */
static int inet_pton6(const char *text, unsigned char out[16])
{
    unsigned char bytes[16] = {0};
    int used = 0, gap = -1, digits = 0;
    unsigned value = 0;
    const char *c = text, *group = text;
    if (*c == ':' && *++c != ':')
        return 0;
    for (;; c++) {
        int ch = (unsigned char)*c;
        if (isxdigit(ch)) {
            if (++digits > 4)
                return 0;
            value = (value << 4) | (unsigned)(isdigit(ch) ? ch - '0' : tolower(ch) - 'a' + 10);
            continue;
        }
        if (ch == ':') {
            group = c + 1;
            if (digits == 0) {
                if (gap >= 0)
                    return 0;
                gap = used;
                continue;
            }
            if (c[1] == '\0' || used + 2 > 16)
                return 0;
            bytes[used++] = (unsigned char)(value >> 8);
            bytes[used++] = (unsigned char)value;
            digits = 0;
            value = 0;
            continue;
        }
        if (ch == '.' && used + 4 <= 16) {
            if (inet_pton4(group, bytes + used) == 0)
                return 0;
            used += 4;
            digits = 0;
            break;
        }
        if (ch != '\0')
            return 0;
        break;
    }
    if (digits > 0) {
        if (used + 2 > 16)
            return 0;
        bytes[used++] = (unsigned char)(value >> 8);
        bytes[used++] = (unsigned char)value;
    }
    if (gap >= 0) {
        if (used == 16)
            return 0;
        int moved = used - gap;
        memmove(bytes + 16 - moved, bytes + gap, (size_t)moved);
        memset(bytes + gap, 0, (size_t)(16 - moved - gap));
        used = 16;
    }
    if (used != 16)
        return 0;
    memcpy(out, bytes, 16);
    return 1;
}

int inet_pton(int family, const char *text, void *address)
{
    if (family == AF_INET)
        return inet_pton4(text, address);
    if (family == AF_INET6)
        return inet_pton6(text, address);
    errno = EAFNOSUPPORT;
    return -1;
}

static const char *inet_ntop_copy(const char *text, char *out, socklen_t size)
{
    if (strlen(text) + 1 > size) {
        errno = ENOSPC;
        return NULL;
    }
    return strcpy(out, text);
}

/* RFC 5952 as glibc writes it: lowercase, the first longest run of two or more zero groups as
 * "::", and ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible) with the IPv4 address dotted. */
static const char *inet_ntop6(const unsigned char *bytes, char *out, socklen_t size)
{
    unsigned words[8];
    for (int i = 0; i < 8; i++)
        words[i] = (unsigned)bytes[2 * i] << 8 | bytes[2 * i + 1];
    int best = -1, best_length = 0;
    for (int i = 0; i < 8;) {
        if (words[i] != 0) {
            i++;
            continue;
        }
        int start = i;
        while (i < 8 && words[i] == 0)
            i++;
        if (i - start > best_length) {
            best = start;
            best_length = i - start;
        }
    }
    if (best_length < 2)
        best = -1;
    char text[sizeof("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255")];
    char *t = text;
    for (int i = 0; i < 8; i++) {
        if (best >= 0 && i >= best && i < best + best_length) {
            if (i == best)
                *t++ = ':';
            continue;
        }
        if (i != 0)
            *t++ = ':';
        if (i == 6 && best == 0 && (best_length == 6 || (best_length == 5 && words[5] == 0xffff))) {
            t += sprintf(t, "%u.%u.%u.%u", bytes[12], bytes[13], bytes[14], bytes[15]);
            break;
        }
        t += sprintf(t, "%x", words[i]);
    }
    if (best >= 0 && best + best_length == 8)
        *t++ = ':';
    *t = '\0';
    return inet_ntop_copy(text, out, size);
}

const char *inet_ntop(int family, const void *address, char *text, socklen_t size)
{
    const unsigned char *bytes = address;
    if (family == AF_INET) {
        char dotted[INET_ADDRSTRLEN];
        snprintf(dotted, sizeof(dotted), "%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
        return inet_ntop_copy(dotted, text, size);
    }
    if (family == AF_INET6)
        return inet_ntop6(bytes, text, size);
    errno = EAFNOSUPPORT;
    return NULL;
}
