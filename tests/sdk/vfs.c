/* SDK test: the vfs under stress and bad input (run with aramid-run --tmp-pages 64). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <aramid/proto/proc.h>
#include <aramid/proto/vfs.h>
#include <aramid/sys.h>

static unsigned long free_frames(void)
{
    struct aramid_memory_stats memory;
    if (sys_kernel_stats(ARAMID_STATS_MEMORY, &memory, sizeof(memory)) < 0)
        return 0;
    return memory.free_frames;
}

static int cycle(int n)
{
    static char data[10000], back[10000];
    memset(data, 'a' + n % 26, sizeof(data));
    int fd = open("/tmp/cycle", O_RDWR | O_CREAT | O_TRUNC, 0644);
    int ok = fd >= 0 && write(fd, data, sizeof(data)) == (ssize_t)sizeof(data) &&
             pread(fd, back, sizeof(back), 0) == (ssize_t)sizeof(back) &&
             memcmp(data, back, sizeof(data)) == 0 && close(fd) == 0 && unlink("/tmp/cycle") == 0;
    return ok;
}

/* The vfs description behind descriptor fd (posix-shim keeps it): the one whose stat names
 * the same inode, found by asking for each number; 0 when none. */
static long description_of(int fd)
{
    struct stat status;
    if (fstat(fd, &status) != 0)
        return 0;
    for (long ofd = 1; ofd < 1024; ofd++) {
        struct aramid_vfs_stat_request request = {.dir = ofd, .flags = VFS_AT_EMPTY_PATH};
        struct aramid_vfs_stat_reply reply;
        size_t bytes = 0;
        if (aramid_vfs_call_stat(&request, 0, &reply, &bytes) == 0 &&
            ((const struct aramid_vfs_stat *)sys_ipc_buffer())->ino == status.st_ino)
            return ofd;
    }
    return 0;
}

/* The handles the system process name holds now (0: not found). */
static unsigned long server_handles(const char *name)
{
    static struct aramid_system_process_stats records[ARAMID_STATS_SYSTEM_MAX];
    long bytes = sys_kernel_stats(ARAMID_STATS_SYSTEM, records, sizeof(records));
    for (long i = 0; bytes > 0 && i < bytes / (long)sizeof(records[0]); i++)
        if (strcmp(records[i].name, name) == 0)
            return records[i].handles;
    return 0;
}

/* A file mapped MAP_SHARED: a store read back with pread, then unmapped and removed. */
static int mapped_cycle(int n)
{
    int fd = open("/tmp/mapped", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char *map = fd < 0 || ftruncate(fd, 8192) != 0
                    ? MAP_FAILED
                    : mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED)
        return 0;
    map[4100] = (char)('a' + n % 26);
    char back = 0;
    int ok = pread(fd, &back, 1, 4100) == 1 && back == 'a' + n % 26;
    ok &= munmap(map, 8192) == 0 && close(fd) == 0 && unlink("/tmp/mapped") == 0;
    return ok;
}

int main(void)
{
    /* 1,000 create/write/read/unlink cycles leave free memory where it was. (The first 200
     * make what is made once: vfs keeps the frames of freed pages for reuse, in its page
     * object, and some tables are first touched then.) */
    for (int i = 0; i < 200; i++)
        cycle(i);
    unsigned long before = free_frames();
    int good = 0;
    for (int i = 0; i < 1000; i++)
        good += cycle(i);
    unsigned long after = free_frames();
    long change = (long)after - (long)before;
    printf("cycles ok: %d\n", good);
    printf("free frames kept: %s\n", change >= -4 && change <= 4 ? "yes" : "no");
    if (change < -4 || change > 4)
        fprintf(stderr, "free frames before %lu after %lu\n", before, after);
    /* The same with shared mappings: each file's memory object goes with it. */
    for (int i = 0; i < 20; i++)
        mapped_cycle(i);
    before = free_frames();
    good = 0;
    for (int i = 0; i < 300; i++)
        good += mapped_cycle(i);
    after = free_frames();
    change = (long)after - (long)before;
    printf("mapped cycles ok: %d\n", good);
    printf("free frames kept: %s\n", change >= -4 && change <= 4 ? "yes" : "no");
    if (change < -4 || change > 4)
        fprintf(stderr, "free frames before %lu after %lu\n", before, after);

    /* A full /tmp: ENOSPC, and room again after an unlink. */
    static char page[4096];
    int fd = open("/tmp/big", O_WRONLY | O_CREAT, 0644);
    long pages = 0;
    for (;;) {
        ssize_t n = write(fd, page, sizeof(page));
        if (n < 0) {
            printf("full /tmp after %ld pages: %s\n", pages, errno == ENOSPC ? "ENOSPC" : "other");
            break;
        }
        pages++;
    }
    close(fd);
    int other = open("/tmp/other", O_WRONLY | O_CREAT, 0644);
    printf("another file on the full /tmp: %s\n",
           write(other, page, 1) < 0 && errno == ENOSPC ? "ENOSPC" : "written");
    unlink("/tmp/big");
    printf("after unlink: %s\n", write(other, page, 1) == 1 ? "written" : "failed");
    close(other);
    unlink("/tmp/other");

    /* A client that dies in the middle of a write: the server goes on, the pipe sees its end. */
    int fds[2];
    pipe(fds);
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        static char lots[256 * 1024];
        memset(lots, 'w', sizeof(lots));
        write(fds[1], lots, sizeof(lots)); /* blocks in vfs once the pipe is full */
        _exit(0);
    }
    close(fds[1]);
    usleep(200000);
    kill(child, SIGKILL);
    int status;
    waitpid(child, &status, 0);
    printf("writer killed: %s\n", WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? "yes" : "no");
    static char sink[8192];
    long total = 0;
    for (;;) {
        ssize_t n = read(fds[0], sink, sizeof(sink));
        if (n <= 0)
            break;
        total += n;
    }
    printf("pipe after the writer died: %ld bytes then end of file\n", total);
    close(fds[0]);

    /* Garbage over the buffer this process shares with vfs, and hostile requests: only this
     * process is hurt, and not even that. */
    aramid_handle_t object;
    size_t size;
    long copy = sys_handle_duplicate(aramid_proc_self.process,
                                     ARAMID_RIGHT_READ | ARAMID_RIGHT_MANAGE | ARAMID_RIGHT_GRANT);
    long result = aramid_vfs_session(copy, &object, &size);
    unsigned char *shared = (unsigned char *)aramid_memory_map(
        aramid_proc_self.space, size, ARAMID_PROT_READ | ARAMID_PROT_WRITE, object, 0);
    printf("second session: %s\n", result == 0 && (long)shared > 0 ? "mapped" : "failed");
    for (size_t i = 0; i < size; i++)
        shared[i] = (unsigned char)(i * 131 + 7);
    struct aramid_vfs_read_request bad_read = {.ofd = 12345, .length = 1 << 30};
    struct aramid_vfs_read_reply read_reply;
    printf("read of a foreign description: %ld\n", aramid_vfs_call_read(&bad_read, 0, &read_reply, NULL));
    fd = open("/etc/motd", O_RDONLY);
    printf("motd opened: %s\n", fd >= 0 ? "yes" : "no");
    struct aramid_vfs_write_request huge = {.ofd = 1, .length = -5};
    struct aramid_vfs_write_reply write_reply;
    printf("write of -5 bytes: %ld\n", aramid_vfs_call_write(&huge, 0, &write_reply, NULL));
    struct aramid_vfs_rename_request rename = {.second = 100000};
    struct aramid_vfs_rename_reply rename_reply;
    printf("rename with a bad second path: %ld\n", aramid_vfs_call_rename(&rename, 3, &rename_reply, NULL));
    struct aramid_vfs_adopt_request adopt = {.token = 42};
    struct aramid_vfs_adopt_reply adopt_reply;
    printf("adopt of a made-up token: %ld\n", aramid_vfs_call_adopt(&adopt, 0, &adopt_reply, NULL));
    struct aramid_vfs_getdents_request dents = {.ofd = 99999, .length = -1};
    struct aramid_vfs_getdents_reply dents_reply;
    printf("getdents of nothing: %ld\n", aramid_vfs_call_getdents(&dents, 0, &dents_reply, NULL));
    struct aramid_vfs_tty_read_request tty_read = {.length = -1};
    struct aramid_vfs_tty_read_reply tty_read_reply;
    printf("terminal read of -1 bytes: %ld\n",
           aramid_vfs_call_tty_read(&tty_read, 0, &tty_read_reply, NULL));
    struct aramid_vfs_tty_ioctl_request short_settings = {.request = 0x5402 /* TCSETS */};
    struct aramid_vfs_tty_ioctl_reply tty_ioctl_reply;
    printf("terminal settings of 3 bytes: %ld\n",
           aramid_vfs_call_tty_ioctl(&short_settings, 3, &tty_ioctl_reply, NULL));
    struct aramid_vfs_tty_ioctl_request unknown = {.request = 0x7fffffff};
    printf("unknown terminal request: %ld\n",
           aramid_vfs_call_tty_ioctl(&unknown, 0, &tty_ioctl_reply, NULL));
    aramid_handle_t mapped;
    long motd = description_of(fd);
    long granted = aramid_vfs_map(motd, 0, 4096, 1, &mapped);
    printf("map of motd: %ld\n", granted);
    if (granted == 0)
        sys_handle_close(mapped);
    printf("map of a foreign description: %ld\n", aramid_vfs_map(12345, 0, 4096, 1, &mapped));
    printf("map of 2^40 bytes: %ld\n", aramid_vfs_map(motd, 0, 1ul << 40, 1, &mapped));
    printf("map at an unaligned offset: %ld\n", aramid_vfs_map(motd, 100, 4096, 1, &mapped));
    printf("map of 0 bytes: %ld\n", aramid_vfs_map(motd, 0, 0, 1, &mapped));
    printf("writable map of a read-only file: %ld\n", aramid_vfs_map(motd, 0, 4096, 3, &mapped));
    /* read's positional bits: the good call, then unknown bits and a probe of a file; a pipe's
     * probe and NO_WAIT read never wait. */
    struct aramid_vfs_read_request at = {.ofd = motd, .length = 5, .positional = 1};
    printf("pread of motd: %ld\n", aramid_vfs_call_read(&at, 0, &read_reply, NULL));
    at.positional = 1 | 8;
    printf("pread with an unknown bit: %ld\n", aramid_vfs_call_read(&at, 0, &read_reply, NULL));
    at.positional = ARAMID_VFS_PROBE;
    printf("probe of a file: %ld\n", aramid_vfs_call_read(&at, 0, &read_reply, NULL));
    /* A FIFO's read end (found before the write end is open: the same inode). */
    mkfifo("/tmp/probe_fifo", 0600);
    int reader = open("/tmp/probe_fifo", O_RDONLY | O_NONBLOCK);
    long read_end = description_of(reader);
    int writer = open("/tmp/probe_fifo", O_WRONLY);
    fcntl(reader, F_SETFL, 0);
    struct aramid_vfs_read_request probe = {
        .ofd = read_end, .length = 5, .positional = ARAMID_VFS_NO_WAIT};
    printf("no-wait read of an empty FIFO: %ld\n",
           aramid_vfs_call_read(&probe, 0, &read_reply, NULL));
    char byte = 'x';
    printf("a byte in: %ld\n", (long)write(writer, &byte, 1));
    probe.positional = ARAMID_VFS_PROBE;
    printf("probe of it: %ld\n", aramid_vfs_call_read(&probe, 0, &read_reply, NULL));
    printf("the byte is still there: %ld\n", (long)read(reader, &byte, 1));
    struct aramid_vfs_write_request wrong_end = {
        .ofd = read_end, .length = 5, .positional = ARAMID_VFS_PROBE};
    printf("write probe of the read end: %ld\n",
           aramid_vfs_call_write(&wrong_end, 0, &write_reply, NULL));
    fcntl(reader, F_SETFL, O_NONBLOCK);
    printf("probe of the empty O_NONBLOCK read end: %ld\n",
           aramid_vfs_call_read(&probe, 0, &read_reply, NULL));
    close(reader);
    close(writer);
    unlink("/tmp/probe_fifo");
    struct aramid_vfs_statfs_request statfs_bad = {.dir = 99999, .flags = VFS_AT_EMPTY_PATH};
    struct aramid_vfs_statfs_reply statfs_reply;
    printf("statfs of nothing: %ld\n", aramid_vfs_call_statfs(&statfs_bad, 0, &statfs_reply, NULL));
    /* Further shared buffers (one per thread): made once each, only those numbers; a call
     * naming one that was not made is refused. */
    size_t extra_size = 0;
    printf("buffer 62: %ld\n", aramid_vfs_buffer(62, &object, &extra_size));
    printf("buffer 62 again: %ld\n", aramid_vfs_buffer(62, &object, &extra_size));
    printf("buffer 0, 64: %ld %ld\n", aramid_vfs_buffer(0, &object, &extra_size),
           aramid_vfs_buffer(64, &object, &extra_size));
    struct aramid_vfs_seek_request seek_nothing = {.ofd = 99999};
    struct aramid_vfs_seek_reply seek_reply;
    printf("through buffer 62: %ld, through 61 (not made): %ld\n",
           aramid_vfs_call_in_seek(62, &seek_nothing, 0, &seek_reply, NULL),
           aramid_vfs_call_in_seek(61, &seek_nothing, 0, &seek_reply, NULL));
    /* A session call through a buffer not made is refused before it runs, and the handle it
     * granted goes all the same: vfs holds no more handles after 8 such calls (it kept each). */
    copy = sys_handle_duplicate(aramid_proc_self.process,
                                ARAMID_RIGHT_READ | ARAMID_RIGHT_MANAGE | ARAMID_RIGHT_GRANT);
    result = aramid_vfs_session(copy, &object, &size);
    printf("session again: %ld\n", result);
    if (result == 0)
        sys_handle_close(object);
    unsigned long vfs_handles = server_handles("vfs");
    long refused = 0;
    for (int i = 0; i < 8; i++) {
        long memory = sys_memory_object_create(4096);
        struct aramid_message message = {
            .info = ARAMID_IPC_INFO(ARAMID_VFS_LABEL_BUFFER(ARAMID_VFS_session, 61), 0) |
                    ARAMID_IPC_GRANT};
        message.words[5] = (unsigned long)memory;
        result = aramid_ipc_call(aramid_proc_self.vfs, &message);
        refused += result == 0 && (long)message.words[0] == -EINVAL;
    }
    printf("session through buffer 61 (not made): %ld of 8 -EINVAL, vfs's handles %s\n", refused,
           server_handles("vfs") == vfs_handles ? "as before" : "more");
    char buffer[64] = {0};
    ssize_t n = read(fd, buffer, 10);
    printf("motd still reads: %s\n", n == 10 && strncmp(buffer, "Welcome to", 10) == 0 ? "yes" : "no");
    close(fd);
    child = fork();
    if (child == 0) {
        int own = open("/tmp/child", O_RDWR | O_CREAT, 0644);
        write(own, "untouched", 9);
        char again[16] = {0};
        pread(own, again, 9, 0);
        _exit(strcmp(again, "untouched") == 0 ? 0 : 1);
    }
    waitpid(child, &status, 0);
    printf("another process's file: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "intact" : "damaged");
    unlink("/tmp/child");
    return 0;
}
