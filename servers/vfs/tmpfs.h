/* tmpfs: inodes, directories, file data in pages, per-file-system size limits (pure logic). */
#ifndef VFS_TMPFS_H
#define VFS_TMPFS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Every file system of the vfs (/, /tmp, /dev) is a tmpfs instance drawing from one inode
 * table and one directory-entry table, so a supervisor can hand both tables, and the pages they
 * point to, to a restarted vfs (docs/vfs.md). Inodes are named by their index; index 0 is never
 * used. Every function returns >= 0 or -errno (Linux values, aramid/errno.h).
 *
 * File data lives in pages from tmpfs_memory: an inode's index page holds TMPFS_INDEX_SLOTS
 * pointers to second-level pages of TMPFS_INDEX_SLOTS data-page pointers (NULL: a hole, read
 * as zeros). Data pages count against their file system's page limit (ENOSPC); index pages do
 * not.
 */
#define TMPFS_PAGE_SIZE 4096ul
#define TMPFS_NAME_MAX 255
#define TMPFS_PATH_MAX 4096
#define TMPFS_INODES_MAX 4096
#define TMPFS_ENTRIES_MAX 8192
#define TMPFS_FILE_SYSTEMS_MAX 8
#define TMPFS_INDEX_SLOTS (TMPFS_PAGE_SIZE / sizeof(void *))
#define TMPFS_FILE_SIZE_MAX (TMPFS_INDEX_SLOTS * TMPFS_INDEX_SLOTS * TMPFS_PAGE_SIZE)
#define TMPFS_LINK_MAX 65000 /* nlink_t is 16 bits in newlib's struct stat */

/* File types and permission bits, as Linux's st_mode. */
#define TMPFS_S_IFMT 0170000u
#define TMPFS_S_IFSOCK 0140000u
#define TMPFS_S_IFLNK 0120000u
#define TMPFS_S_IFREG 0100000u
#define TMPFS_S_IFDIR 0040000u
#define TMPFS_S_IFCHR 0020000u
#define TMPFS_S_IFIFO 0010000u
#define TMPFS_MODE_PERMISSIONS 07777u
#define TMPFS_IS_DIR(mode) (((mode)&TMPFS_S_IFMT) == TMPFS_S_IFDIR)
#define TMPFS_IS_REG(mode) (((mode)&TMPFS_S_IFMT) == TMPFS_S_IFREG)
#define TMPFS_IS_LNK(mode) (((mode)&TMPFS_S_IFMT) == TMPFS_S_IFLNK)

/* Where pages come from: alloc returns a zeroed page or NULL; free takes it back. now gives
 * the realtime clock in nanoseconds (timestamps). window_release (may be NULL) hears that an
 * inode with a window (below) is freed: the memory behind the window can go. window_resize
 * (may be NULL) hears the new size of an inode with a window after each change of it (a write
 * past the end, a truncate): mappings end at the file's end (SIGBUS past it). */
struct tmpfs_memory {
    void *(*page_alloc)(void *context);
    void (*page_free)(void *context, void *page);
    unsigned long (*now)(void *context);
    void (*window_release)(void *context, long inode);
    void (*window_resize)(void *context, long inode, unsigned long size);
    void *context;
};

/* One inode. mode 0: free. A directory's entries are a list through tmpfs_entry.next. An inode
 * is freed when it has no links and no open descriptions (opens). */
struct tmpfs_inode {
    unsigned mode;
    unsigned nlink;
    unsigned fs;
    unsigned opens;
    unsigned uid, gid;
    unsigned long size;
    unsigned long rdev;
    unsigned long pages; /* data pages held */
    unsigned long atime, mtime, ctime; /* nanoseconds since the epoch */
    void ***index;        /* regular files and symlinks */
    /* A regular file's window (tmpfs_window_attach): data pages [0, window_pages) are the pages
     * at window, always present in the index (a truncate zeroes them instead of freeing them),
     * so what is stored there and what read and write see are the same bytes. NULL: none. */
    unsigned char *window;
    unsigned long window_pages;
    long first_entry;     /* directories: first entry, or -1 */
    long last_entry;      /* directories: last entry (appends keep readdir order), or -1 */
    long parent;          /* directories: the directory holding it (the root: itself) */
    unsigned long entries; /* directories: number of entries */
};

/* A directory entry. inode 0: free. */
struct tmpfs_entry {
    long inode;
    long next;
    unsigned name_length;
    char name[TMPFS_NAME_MAX + 1];
};

struct tmpfs_fs {
    bool used;
    long root;
    unsigned long page_limit; /* 0: no limit */
    unsigned long pages_used;
};

struct tmpfs {
    struct tmpfs_memory memory;
    struct tmpfs_inode inodes[TMPFS_INODES_MAX];
    struct tmpfs_entry entries[TMPFS_ENTRIES_MAX];
    struct tmpfs_fs file_systems[TMPFS_FILE_SYSTEMS_MAX];
    long inode_hint, entry_hint;
};

void tmpfs_init(struct tmpfs *tmpfs, const struct tmpfs_memory *memory);
/* A new file system with an empty root directory (mode 0755 | S_IFDIR); page_limit 0 means
 * unlimited. -> its number; *root = its root inode. -ENOMEM when all are in use. */
long tmpfs_fs_create(struct tmpfs *tmpfs, unsigned long page_limit, long *root);

/* The inode, or NULL for an index that is not a live inode. */
struct tmpfs_inode *tmpfs_inode(struct tmpfs *tmpfs, long inode);

/* Looks name (length bytes, no '/') up in directory dir -> inode, -ENOENT, -ENOTDIR.
 * "." and ".." are not entries: path resolution handles them. */
long tmpfs_lookup(struct tmpfs *tmpfs, long dir, const char *name, size_t length);
/* Creates name in dir with mode (type and permissions) and rdev -> the new inode. -EEXIST,
 * -ENOTDIR, -ENAMETOOLONG, -ENOSPC (no inode or entry left), -EMLINK (directories). */
long tmpfs_create(struct tmpfs *tmpfs, long dir, const char *name, size_t length, unsigned mode,
                  unsigned long rdev);
/* A new hard link name in dir to inode: -EEXIST, -EXDEV (other file system), -EPERM
 * (directory), -EMLINK. */
long tmpfs_link(struct tmpfs *tmpfs, long dir, const char *name, size_t length, long inode);
/* Removes a non-directory entry (-EISDIR for a directory) or, with directory, an empty
 * directory (-ENOTDIR, -ENOTEMPTY). */
long tmpfs_unlink(struct tmpfs *tmpfs, long dir, const char *name, size_t length, bool directory);
/* rename(2) within one file system: replaces an existing target as Linux does (-EISDIR,
 * -ENOTDIR, -ENOTEMPTY, -EINVAL when a directory would move under itself, -EXDEV). */
long tmpfs_rename(struct tmpfs *tmpfs, long old_dir, const char *old_name, size_t old_length,
                  long new_dir, const char *new_name, size_t new_length);

/* Reads up to length bytes at offset (holes read as zeros) -> bytes read (0 at or beyond EOF). */
long tmpfs_read(struct tmpfs *tmpfs, long inode, unsigned long offset, void *buffer, size_t length);
/* Writes length bytes at offset, growing the file -> bytes written; a short count when the
 * file system fills part way, -ENOSPC when nothing fits, -EFBIG beyond TMPFS_FILE_SIZE_MAX. */
long tmpfs_write(struct tmpfs *tmpfs, long inode, unsigned long offset, const void *buffer,
                 size_t length);
/* Sets the size, freeing whole pages past it and zeroing the tail of the last one. */
long tmpfs_truncate(struct tmpfs *tmpfs, long inode, unsigned long size);
/* Moves data pages [0, pages) of a regular file into window (pages of memory that someone else
 * maps too, zero where no data page was: vfs's view of the file's memory object): each data
 * page there is copied in and freed, each hole becomes a zero page of the window (counted
 * against the file system's limit). pages only grows; window is the same on every call after
 * the first. 0, -EINVAL (not a regular file, or fewer pages than before), -ENOSPC (the holes do
 * not fit the limit; nothing changed), -ENOMEM (no index page; the window reaches as far as it
 * got). */
long tmpfs_window_attach(struct tmpfs *tmpfs, long inode, void *window, unsigned long pages);
/* Address of the data page holding offset, or NULL for a hole (exec maps files page by page). */
const void *tmpfs_page(struct tmpfs *tmpfs, long inode, unsigned long offset);

/* Directory position cookie: 0 ".", 1 "..", 2 + n the n-th entry. Calls emit for the entry at
 * *cookie and advances while emit returns 0; stops when it returns nonzero (buffer full).
 * Returns the number of entries emitted. */
typedef int (*tmpfs_emit_fn)(void *context, long inode, unsigned type, const char *name,
                             size_t length, unsigned long next_cookie);
long tmpfs_readdir(struct tmpfs *tmpfs, long dir, unsigned long *cookie, tmpfs_emit_fn emit,
                   void *context);

/* An open description now refers to (opens) or stopped referring to (closes) the inode; the
 * last close of an unlinked inode frees it. */
void tmpfs_open(struct tmpfs *tmpfs, long inode);
void tmpfs_close(struct tmpfs *tmpfs, long inode);

/* The d_type value (DT_*) of a mode. */
unsigned tmpfs_dirent_type(unsigned mode);

#endif
