/* /proc: a tmpfs that vfs fills from proc's process list whenever a path under /proc is used
 * (ps, df's /proc/mounts, /proc/self). */
#include "vfs.h"

#include <aramid/proto/proc.h>

#include "format.h"
#include "kstring.h"

/*
 * What a Linux program reads: /proc/mounts; /proc/PID/ with stat (Linux's 52 fields: pid,
 * comm, state, ppid, pgrp, session, tty_nr, tpgid, then zeros where Aramid keeps no count yet,
 * num_threads 1), cmdline (argv as NUL-ended strings) and status (Name, State, Pid, PPid, Uid,
 * Gid); /proc/self, a symbolic link to the caller's PID. The files are ordinary tmpfs files
 * rewritten at each refresh (a refresh is one process_list call plus one process_cmdline per
 * process), so reading, stat and getdents need nothing new; the directory of a process that is
 * gone is removed. Every process's terminal is the console when it is of the console's session.
 */
#define VFS_PROCFS_PIDS_MAX 256
#define VFS_PROCFS_TEXT 1536

static struct {
    long pids[VFS_PROCFS_PIDS_MAX]; /* the PID directories made, pids[0, count) */
    size_t count;
    struct aramid_proc_info infos[VFS_PROCFS_PIDS_MAX];
} vfs_procfs;

static const char vfs_procfs_mounts[] = "rootfs / rootfs rw 0 0\n"
                                        "tmpfs /tmp tmpfs rw,nosuid,nodev 0 0\n"
                                        "tmpfs /dev tmpfs rw,nosuid 0 0\n"
                                        "proc /proc proc rw,nosuid,nodev,noexec 0 0\n";

/* name in dir as a file (or a symbolic link) holding text, made or rewritten. */
static long vfs_procfs_write(long dir, const char *name, unsigned mode, const char *text,
                             size_t length)
{
    long inode = tmpfs_lookup(&vfs.tmpfs, dir, name, strlen(name));
    if (inode == -ARAMID_ENOENT)
        inode = tmpfs_create(&vfs.tmpfs, dir, name, strlen(name), mode, 0);
    if (inode < 0)
        return inode;
    long result = tmpfs_truncate(&vfs.tmpfs, inode, 0);
    if (result == 0 && length > 0)
        result = tmpfs_write(&vfs.tmpfs, inode, 0, text, length);
    return result < 0 ? result : 0;
}

long vfs_procfs_start(void)
{
    return vfs_procfs_write(vfs.proc_root, "mounts", TMPFS_S_IFREG | 0444, vfs_procfs_mounts,
                            sizeof(vfs_procfs_mounts) - 1);
}

static void vfs_procfs_name(long pid, char name[24])
{
    (void)format_snprint(name, 24, "%ld", pid);
}

/* Removes the directory of pid (its files first). */
static void vfs_procfs_remove(long pid)
{
    static const char *const files[] = {"stat", "cmdline", "status"};
    char name[24];
    vfs_procfs_name(pid, name);
    long dir = tmpfs_lookup(&vfs.tmpfs, vfs.proc_root, name, strlen(name));
    if (dir < 0)
        return;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        (void)tmpfs_unlink(&vfs.tmpfs, dir, files[i], strlen(files[i]), false);
    (void)tmpfs_unlink(&vfs.tmpfs, vfs.proc_root, name, strlen(name), true);
}

/* The files of one process. */
static void vfs_procfs_fill(const struct aramid_proc_info *info, unsigned long caller,
                            long console_session, long console_group)
{
    char name[24], text[VFS_PROCFS_TEXT];
    vfs_procfs_name(info->pid, name);
    long dir = tmpfs_lookup(&vfs.tmpfs, vfs.proc_root, name, strlen(name));
    if (dir == -ARAMID_ENOENT)
        dir = tmpfs_create(&vfs.tmpfs, vfs.proc_root, name, strlen(name), TMPFS_S_IFDIR | 0555,
                           0);
    if (dir < 0)
        return;
    char comm[sizeof(info->name)];
    memcpy(comm, info->name, sizeof(comm));
    comm[sizeof(comm) - 1] = '\0';
    bool terminal = console_session != 0 && info->sid == console_session;
    /* proc saw vfs ask; the process reading /proc is the one running. */
    char state = info->process == caller && info->state == 'S' ? 'R' : (char)info->state;
    int length = format_snprint(
        text, sizeof(text),
        "%ld (%s) %c %ld %ld %ld %d %ld 4194304 0 0 0 0 0 0 0 0 20 0 1 0 0 0 0 "
        "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
        info->pid, comm, state, info->ppid, info->pgid, info->sid,
        terminal ? (int)VFS_DEVICE_CONSOLE : 0, terminal ? console_group : -1l);
    (void)vfs_procfs_write(dir, "stat", TMPFS_S_IFREG | 0444, text, (size_t)length);
    length = format_snprint(text, sizeof(text),
                            "Name:\t%s\nState:\t%c\nTgid:\t%ld\nPid:\t%ld\nPPid:\t%ld\n"
                            "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nThreads:\t1\n",
                            comm, state, info->pid, info->pid, info->ppid);
    (void)vfs_procfs_write(dir, "status", TMPFS_S_IFREG | 0444, text, (size_t)length);
    struct aramid_proc_process_cmdline_request request = {.pid = info->pid};
    struct aramid_proc_process_cmdline_reply reply;
    long bytes = aramid_proc_call_process_cmdline(&request, 0, &reply);
    if (bytes < 0 || (size_t)bytes > sizeof(text))
        bytes = 0; /* gone meanwhile, or a zombie: empty, as Linux's */
    memcpy(text, (const void *)sys_ipc_buffer(), (size_t)bytes);
    (void)vfs_procfs_write(dir, "cmdline", TMPFS_S_IFREG | 0444, text, (size_t)bytes);
}

void vfs_procfs_refresh(unsigned long caller, long console_session, long console_group)
{
    if (vfs.proc <= 0 || vfs.proc_root <= 0)
        return;
    size_t count = 0;
    long start = 1;
    while (start > 0 && count < VFS_PROCFS_PIDS_MAX) {
        struct aramid_proc_process_list_request request = {.start = start};
        struct aramid_proc_process_list_reply reply;
        long got = aramid_proc_call_process_list(&request, 0, &reply);
        if (got < 0)
            return; /* proc does not answer: keep what is there */
        if ((size_t)got > VFS_PROCFS_PIDS_MAX - count)
            got = (long)(VFS_PROCFS_PIDS_MAX - count);
        memcpy(&vfs_procfs.infos[count], (const void *)sys_ipc_buffer(),
               (size_t)got * sizeof(struct aramid_proc_info));
        count += (size_t)got;
        start = reply.next;
    }
    /* Directories of processes that are gone go first. */
    for (size_t i = 0; i < vfs_procfs.count; i++) {
        bool alive = false;
        for (size_t j = 0; j < count && !alive; j++)
            alive = vfs_procfs.infos[j].pid == vfs_procfs.pids[i];
        if (!alive)
            vfs_procfs_remove(vfs_procfs.pids[i]);
    }
    long self = 0;
    for (size_t i = 0; i < count; i++) {
        const struct aramid_proc_info *info = &vfs_procfs.infos[i];
        vfs_procfs_fill(info, caller, console_session, console_group);
        vfs_procfs.pids[i] = info->pid;
        if (info->process == caller && caller != 0)
            self = info->pid;
    }
    vfs_procfs.count = count;
    char target[24];
    vfs_procfs_name(self, target);
    (void)vfs_procfs_write(vfs.proc_root, "self", TMPFS_S_IFLNK | 0777, target, strlen(target));
    (void)vfs_procfs_start(); /* /proc/mounts as it was, whatever was written to it */
}

bool vfs_procfs_path(const char *path, size_t length)
{
    static const char prefix[] = "/proc";
    size_t prefix_length = sizeof(prefix) - 1;
    while (length > 1 && path[0] == '/' && path[1] == '/') {
        path++;
        length--;
    }
    return length >= prefix_length && memcmp(path, prefix, prefix_length) == 0 &&
           (length == prefix_length || path[prefix_length] == '/');
}
