/* The mount table: which directory inode is covered by which file system's root (pure logic). */
#ifndef VFS_MOUNT_H
#define VFS_MOUNT_H

#include <stdbool.h>

#define MOUNT_MAX 8

/* covered: the directory inode a file system is mounted on; root: that file system's root
 * inode. The system root has covered = 0 (nothing above it). */
struct mount_entry {
    long covered;
    long root;
};

struct mount_table {
    unsigned count;
    struct mount_entry entries[MOUNT_MAX];
};

void mount_table_init(struct mount_table *table, long system_root);
/* Mounts root on directory covered. -EBUSY if covered already has a mount or is a mounted root,
 * -ENOMEM when the table is full. */
long mount_add(struct mount_table *table, long covered, long root);
/* The root mounted on inode, or inode itself when nothing is mounted there. */
long mount_enter(const struct mount_table *table, long inode);
/* For a mounted root: the directory it covers; 0 for the system root or a non-root. */
long mount_covered(const struct mount_table *table, long root);
/* Whether inode is a mount point or a mounted root (rmdir and rename give EBUSY). */
bool mount_busy(const struct mount_table *table, long inode);
/* The system root. */
long mount_system_root(const struct mount_table *table);

#endif
