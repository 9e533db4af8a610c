/* Directory entries (posix-shim; newlib's own <sys/dirent.h> is an #error): Linux's struct dirent
 * and getdents64. */
#ifndef _SYS_DIRENT_H_
#define _SYS_DIRENT_H_

#include <stdint.h>
#include <sys/cdefs.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

/* The record getdents64 returns, which is also what readdir gives. */
struct dirent {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[256];
};

/* An open directory stream: its descriptor and a buffer of getdents64 records. */
typedef struct {
    int dd_fd;
    size_t dd_position;
    size_t dd_size;
    char dd_buffer[4096];
} DIR;

#if __GNU_VISIBLE
/* Fills buffer with struct dirent records; bytes used, 0 at the end, or -1 with errno set. */
ssize_t getdents64(int fd, void *buffer, size_t length);
#endif

#ifdef __cplusplus
}
#endif

#endif
