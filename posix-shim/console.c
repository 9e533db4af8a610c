/* posix-shim console backend: output to the kernel's debug console, input at end of file. */
#include <errno.h>
#include <sys/stat.h>

#include "fd.h"
#include "shim.h"

/* The kernel refuses longer debug_writes (DEBUG_WRITE_MAX); stay well below. */
#define CONSOLE_WRITE_CHUNK (64 * 1024ul)

long shim_console_write(const void *text, size_t length)
{
    const char *bytes = text;
    size_t done = 0;
    while (done < length) {
        size_t chunk = length - done < CONSOLE_WRITE_CHUNK ? length - done : CONSOLE_WRITE_CHUNK;
        long written = shim_error_from_sys(sys_debug_write(bytes + done, chunk));
        if (written <= 0)
            return done > 0 ? (long)done : (written < 0 ? written : -EIO);
        done += (size_t)written;
    }
    return (long)done;
}

/* There is no console input yet: every read is at end of file. */
static long console_read(struct fd_file *file, void *buffer, size_t length)
{
    (void)file;
    (void)buffer;
    (void)length;
    return 0;
}

static long console_write(struct fd_file *file, const void *buffer, size_t length)
{
    (void)file;
    return shim_console_write(buffer, length);
}

static long console_stat(struct fd_file *file, struct stat *status)
{
    (void)file;
    status->st_mode = S_IFCHR | 0620;
    status->st_nlink = 1;
    status->st_blksize = 1024;
    return 0;
}

static int console_is_terminal(struct fd_file *file)
{
    (void)file;
    return 1;
}

const struct fd_backend console_backend = {
    .name = "console",
    .read = console_read,
    .write = console_write,
    .stat = console_stat,
    .is_terminal = console_is_terminal,
};
