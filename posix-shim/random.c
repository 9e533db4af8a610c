/* posix-shim getentropy and getrandom: bytes from the CPU's RDRAND (ENOSYS on CPUs without it). */
#include <cpuid.h>
#include <errno.h>
#include <stdint.h>
#include <limits.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#define RANDOM_GETENTROPY_MAX 256 /* POSIX: larger requests fail with EIO */
#define RANDOM_RETRIES 10         /* Intel's advice for a transiently empty RDRAND */

#include "shim.h"

static int random_cpu_has_rdrand(void)
{
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
        return 0;
    return (ecx & bit_RDRND) != 0;
}

/* One 64-bit random word, or 0 in *ok if RDRAND failed RANDOM_RETRIES times. */
static uint64_t random_word(int *ok)
{
    for (int attempt = 0; attempt < RANDOM_RETRIES; attempt++) {
        uint64_t value;
        unsigned char success;
        __asm__ volatile("rdrand %0; setc %1" : "=r"(value), "=qm"(success) : : "cc");
        if (success) {
            *ok = 1;
            return value;
        }
    }
    *ok = 0;
    return 0;
}

int getentropy(void *buffer, size_t length)
{
    if (length > RANDOM_GETENTROPY_MAX)
        return (int)shim_return(-EIO);
    if (!random_cpu_has_rdrand())
        return (int)shim_return(-ENOSYS);
    unsigned char *bytes = buffer;
    for (size_t done = 0; done < length;) {
        int ok;
        uint64_t word = random_word(&ok);
        if (!ok)
            return (int)shim_return(-EIO);
        size_t chunk = length - done < sizeof(word) ? length - done : sizeof(word);
        memcpy(bytes + done, &word, chunk);
        done += chunk;
    }
    return 0;
}

/* getrandom: the same RDRAND bytes as getentropy, in chunks of its maximum; never blocks, so
 * GRND_NONBLOCK changes nothing. */
ssize_t getrandom(void *buffer, size_t length, unsigned int flags)
{
    if ((flags & ~(unsigned)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0)
        return shim_return(-EINVAL);
    if (length > SSIZE_MAX)
        length = SSIZE_MAX;
    unsigned char *bytes = buffer;
    unsigned char chunk_bytes[RANDOM_GETENTROPY_MAX];
    for (size_t done = 0; done < length;) {
        size_t chunk =
            length - done < RANDOM_GETENTROPY_MAX ? length - done : RANDOM_GETENTROPY_MAX;
        /* Made here, then copied out: a bad buffer gives EFAULT, not a fault in the shim. */
        if (getentropy(chunk_bytes, chunk) != 0)
            return done > 0 ? (ssize_t)done : -1;
        if (shim_copy_out(bytes + done, chunk_bytes, chunk) != 0)
            return done > 0 ? (ssize_t)done : shim_return(-EFAULT);
        done += chunk;
    }
    return (ssize_t)length;
}
