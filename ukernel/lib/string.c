/* The memory and string functions the compiler and the kernel expect. Bulk work uses 8-byte
 * string instructions (rep movsq/stosq) and finishes with byte ones: page zeroing and copying
 * dominate fork, demand-zero faults and IPC buffer copies. */
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dest, const void *src, size_t n)
{
    void *d = dest;
    size_t words = n / 8, bytes = n % 8;
    __asm__ volatile("rep movsq\n\t"
                     "movq %3, %%rcx\n\t"
                     "rep movsb"
                     : "+D"(d), "+S"(src), "+c"(words)
                     : "r"(bytes)
                     : "memory");
    return dest;
}

void *memset(void *dest, int c, size_t n)
{
    void *d = dest;
    size_t words = n / 8, bytes = n % 8;
    uint64_t pattern = 0x0101010101010101ull * (uint8_t)c;
    __asm__ volatile("rep stosq\n\t"
                     "movq %3, %%rcx\n\t"
                     "rep stosb"
                     : "+D"(d), "+c"(words)
                     : "a"(pattern), "r"(bytes)
                     : "memory");
    return dest;
}

void *memmove(void *dest, const void *src, size_t n)
{
    if (dest <= src || (const char *)src + n <= (char *)dest)
        return memcpy(dest, src, n);
    /* Overlap with dest above src: copy backwards. */
    const char *s = (const char *)src + n - 1;
    char *d = (char *)dest + n - 1;
    __asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return dest;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] - y[i];
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i] || !a[i])
            return (unsigned char)a[i] - (unsigned char)b[i];
    }
    return 0;
}
