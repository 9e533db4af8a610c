/* File errors: EBADF on every descriptor call, EFAULT into read-only memory, /dev/full, /dev/null and /dev/zero. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dup3, pipe2, getdents64 (the host build defines it on its command line) */
#endif
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "contract.h"

int main(void)
{
    contract_start();
    char buffer[16];
    struct stat status;
    int bad = 77;
    R(read(bad, buffer, 1));
    R(write(bad, buffer, 1));
    R(pread(bad, buffer, 1, 0));
    R(pwrite(bad, buffer, 1, 0));
    R(lseek(bad, 0, SEEK_SET));
    R(fstat(bad, &status));
    R(close(bad));
    R(dup(bad));
    R(fcntl(bad, F_GETFL));
    R(ftruncate(bad, 0));
    R(fchdir(bad));
    R(fchmod(bad, 0600));
    R(getdents64(bad, buffer, sizeof(buffer)));
    R(openat(bad, "x", O_RDONLY));
    R(read(-1, buffer, 1));
    /* The good call, then the same into read-only memory. */
    int zero = open("/dev/zero", O_RDONLY);
    R(read(zero, buffer, sizeof(buffer)));
    char *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    R(read(zero, page, 16));
    int file = open("/etc/motd", O_RDONLY);
    if (file < 0)
        file = open("/etc/hostname", O_RDONLY);
    R(read(file, buffer, 4));
    R(read(file, page, 4));
    R(stat((const char *)8, &status));
    R(open((const char *)8, O_RDONLY));
    R(close(file));
    R(close(zero));
    int null = open("/dev/null", O_RDWR);
    R(read(null, buffer, sizeof(buffer)));
    R(write(null, "gone", 4));
    R(lseek(null, 100, SEEK_SET) >= 0);
    R(close(null));
    int full = open("/dev/full", O_RDWR);
    R(write(full, "x", 1));
    R(read(full, buffer, 4));
    R(close(full));
    R(open("/dev/null/x", O_RDONLY));
    R(open("/", O_RDWR));
    R(read(open("/", O_RDONLY), buffer, 1));
    int fd = open("/dev/urandom", O_RDONLY);
    R(read(fd, buffer, 16));
    R(close(fd));
    struct stat device;
    R(stat("/dev/null", &device));
    printf("/dev/null: character device %d\n", S_ISCHR(device.st_mode));
    R(access("/dev/zero", R_OK | W_OK));
    return contract_pass();
}
