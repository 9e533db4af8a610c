/* The vfs server: its start from init's hand-over (the initrd, /tmp, /dev) and its calls'
 * decoding (the receive loop is libsys's aramid_server_serve). */
#include "vfs.h"

#include <aramid/proto/proc.h>
#include <aramid/server.h>

#include "cpio.h"
#include "kstring.h"

#define VFS_INITRD_ADDRESS 0x100000000000ul

/* Request bytes are copied here first: the IPC buffer also carries the reply's bytes. */
static char vfs_request_bytes[ARAMID_IPC_BUFFER_SIZE];
static char *vfs_ipc_buffer;

/* The /dev nodes: name, device number, permissions. */
static const struct {
    const char *name;
    unsigned long rdev;
} vfs_devices[] = {
    {"null", VFS_DEVICE_NULL},       {"zero", VFS_DEVICE_ZERO},
    {"full", VFS_DEVICE_FULL},       {"random", VFS_DEVICE_RANDOM},
    {"urandom", VFS_DEVICE_URANDOM}, {"tty", VFS_DEVICE_TTY},
    {"console", VFS_DEVICE_CONSOLE},
};

/* The directory name in the root (made if the initrd has none), with fs mounted on it. */
static long vfs_mount_at(const char *name, unsigned long page_limit, unsigned mode, long *root)
{
    size_t length = strlen(name);
    long covered = tmpfs_lookup(&vfs.tmpfs, vfs.root, name, length);
    if (covered == -ARAMID_ENOENT)
        covered = tmpfs_create(&vfs.tmpfs, vfs.root, name, length, TMPFS_S_IFDIR | mode, 0);
    if (covered < 0)
        return covered;
    long result = tmpfs_fs_create(&vfs.tmpfs, page_limit, root);
    if (result < 0)
        return result;
    vfs.tmpfs.inodes[*root].mode = TMPFS_S_IFDIR | mode;
    return mount_add(&vfs.mounts, covered, *root);
}

/* A seed for /dev/random: RDRAND where the CPU has it, mixed with the clock. */
static unsigned long vfs_random_seed(void)
{
    unsigned long value = aramid_clock_monotonic_ns() * 0x9e3779b97f4a7c15ul;
    unsigned eax = 1, ebx, ecx, edx;
    __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
    if (ecx & (1u << 30)) {
        unsigned long random;
        unsigned char ok;
        __asm__ volatile("rdrand %0; setc %1" : "=r"(random), "=qm"(ok) : : "cc");
        if (ok)
            value ^= random;
    }
    return value != 0 ? value : 0x2545f4914f6cdd1dul;
}

static long vfs_start(unsigned long argument)
{
    const struct aramid_vfs_boot *boot = (const struct aramid_vfs_boot *)argument;
    if (argument != ARAMID_VFS_BOOT_ADDRESS || boot->magic != ARAMID_VFS_BOOT_MAGIC)
        return -ARAMID_EINVAL;
    long result = vfs_state_start(boot->space, boot->supervisor);
    if (result < 0)
        return result; /* before anything else: vfs's tables live in the state object */
    vfs.endpoint = boot->endpoint;
    vfs.space = boot->space;
    long buffer = sys_ipc_buffer();
    if (buffer <= 0)
        return -ARAMID_ENOMEM;
    vfs_ipc_buffer = (char *)buffer;
    vfs.random_state = vfs_random_seed();
    vfs.exits = sys_notification_create(0, 0);
    if (vfs.exits < 0 || sys_notify_bind(vfs.exits) < 0)
        return -ARAMID_ENOMEM;
    tmpfs_init(&vfs.tmpfs, &vfs_memory);
    result = tmpfs_fs_create(&vfs.tmpfs, 0, &vfs.root);
    if (result < 0)
        return result;
    mount_table_init(&vfs.mounts, vfs.root);
    vfs.names = (struct path_namespace){.tmpfs = &vfs.tmpfs, .mounts = &vfs.mounts};
    ofd_table_init(&vfs.ofds);
    lock_table_init(&vfs.locks);
    if (boot->initrd > 0 && boot->initrd_size > 0) {
        size_t mapped = (boot->initrd_size + TMPFS_PAGE_SIZE - 1) & ~(TMPFS_PAGE_SIZE - 1);
        result = sys_vm_map(vfs.space, VFS_INITRD_ADDRESS, mapped, ARAMID_PROT_READ,
                            boot->initrd, 0);
        if (result == 0)
            result = cpio_unpack(&vfs.names, vfs.root, (const unsigned char *)VFS_INITRD_ADDRESS,
                                 boot->initrd_size);
        if (result < 0)
            aramid_printf("vfs: initrd not unpacked (%ld)\n", result);
        /* The archive's pages are copied into the tmpfs: the module can go. */
        (void)sys_vm_unmap(vfs.space, VFS_INITRD_ADDRESS, mapped);
        (void)sys_handle_close(boot->initrd);
    }
    result = vfs_mount_at("tmp", boot->tmp_pages, 01777, &vfs.tmp_root);
    if (result == 0)
        result = vfs_mount_at("dev", 0, 0755, &vfs.dev_root);
    if (result == 0)
        result = vfs_mount_at("proc", 0, 0555, &vfs.proc_root);
    if (result == 0)
        result = vfs_procfs_start();
    for (size_t i = 0; result >= 0 && i < sizeof(vfs_devices) / sizeof(vfs_devices[0]); i++)
        result = tmpfs_create(&vfs.tmpfs, vfs.dev_root, vfs_devices[i].name,
                              strlen(vfs_devices[i].name), TMPFS_S_IFCHR | 0666,
                              vfs_devices[i].rdev);
    /* proc, for the terminal's signals: the libsys stubs call aramid_proc_self.endpoint. */
    vfs.proc = boot->proc;
    aramid_proc_self.endpoint = boot->proc;
    vfs.ipc = boot->ipc;
    if (result >= 0)
        result = vfs_shmfs_start();
    if (result >= 0)
        result = vfs_console_start(boot->console);
    return result < 0 ? result : 0;
}

/* The kernel id of the calling process (r15: unforgeable, kept across execve). */
static unsigned long vfs_caller_process(const struct aramid_message *message)
{
    return message->sender;
}

/* A call naming a path under /proc or /dev/shm: its contents are made fresh first (from proc,
 * from the ipc server). words[0] is each of these calls' directory. */
static void vfs_procfs_before(unsigned label, const struct vfs_call *call,
                              const unsigned long *words)
{
    switch (label) {
    case ARAMID_VFS_open:
    case ARAMID_VFS_stat:
    case ARAMID_VFS_access:
    case ARAMID_VFS_readlink:
    case ARAMID_VFS_chdir:
    case ARAMID_VFS_statfs:
    case ARAMID_VFS_unlink:
        break;
    default:
        return;
    }
    if (call->session != NULL && vfs_shmfs_path(call, (long)words[0]))
        vfs_shmfs_refresh();
    if (call->session != NULL && vfs_procfs_path(call->buffer, call->buffer_bytes)) {
        long session, group;
        vfs_console_job(&session, &group);
        vfs_procfs_refresh(call->process, session, group);
    }
}

/* Decodes the caller and the message, runs the handler and turns *message into the reply;
 * true: answer now (false: the handler kept the call). A call through a minted handle is a
 * readiness handle's (ready.c), always answered at once. */
ARAMID_SERVER_INLINE bool vfs_handle(struct aramid_message *message, void *buffer)
{
    (void)buffer; /* vfs_ipc_buffer */
    if (message->badge != 0) {
        vfs_ready_handle_call(message);
        return true;
    }
    unsigned label = ARAMID_IPC_LABEL(message->info) & ((1u << ARAMID_VFS_BUFFER_SHIFT) - 1);
    unsigned shared_index = ARAMID_IPC_LABEL(message->info) >> ARAMID_VFS_BUFFER_SHIFT;
    struct vfs_call call = {
        .process = vfs_caller_process(message),
        .reply = message->reply,
        .buffer = vfs_request_bytes,
        .buffer_bytes = ARAMID_IPC_BUFFER_BYTES(message->info),
        .reply_buffer = vfs_ipc_buffer,
        .granted = (message->info & ARAMID_IPC_GRANT) ? (aramid_handle_t)message->words[5] : 0,
    };
    unsigned long reply[ARAMID_IPC_REGISTERS] = {0};
    enum vfs_action action = VFS_REPLY;
    call.session = vfs_session_find(call.process);
    call.shared_index = shared_index;
    call.shared = vfs_session_buffer(call.session, shared_index);
    if (call.buffer_bytes > ARAMID_IPC_BUFFER_SIZE ||
        (call.shared == NULL && call.session != NULL)) {
        reply[0] = (unsigned long)-ARAMID_EINVAL; /* too many bytes, or a buffer not made */
    } else {
        memcpy(vfs_request_bytes, vfs_ipc_buffer, call.buffer_bytes);
        vfs_procfs_before(label, &call, message->words);
        if (call.granted != 0 && label != ARAMID_VFS_session)
            reply[0] = (unsigned long)-ARAMID_EINVAL; /* only session takes a handle */
        else
            action = vfs_dispatch(&call, label, message->words, reply);
    }
    /* A handle no handler took goes (only a session that starts keeps its handle: refused
     * before it ran, a bad shared buffer index or too many bytes, it goes too). */
    if (call.granted > 0)
        (void)sys_handle_close(call.granted);
    aramid_message_answer(message, label, reply, call.reply_bytes, call.grant_out);
    return action == VFS_REPLY;
}

/* The children of vfs.exits: a client's exit (its session's key) or the console's (its input
 * or its timer, keys above every session's). */
static void vfs_notified(unsigned long bits, unsigned long key)
{
    (void)bits;
    if (key > VFS_SESSIONS_MAX)
        vfs_console_notified(key);
    else
        vfs_session_exited(key);
}

/* A signal for a caller whose call vfs keeps (a console read, or a wait of wait.c). */
static void vfs_cancel(unsigned long token)
{
    if (!vfs_console_cancel(token))
        vfs_wait_cancel(token);
}

static const struct aramid_server_loop vfs_loop = {
    .name = "vfs",
    .notified = vfs_notified,
    .cancel = vfs_cancel,
    .handle = vfs_handle,
};

int aramid_main(unsigned long argument)
{
    long result = vfs_start(argument);
    if (result < 0) {
        aramid_printf("vfs: bad start (%ld)\n", result);
        return 1;
    }
    return aramid_server_serve(&vfs_loop, vfs.endpoint);
}
