/* The mount table: which directory inode is covered by which file system's root (pure logic). */
#include "mount.h"

#include <aramid/errno.h>

void mount_table_init(struct mount_table *table, long system_root)
{
    table->count = 1;
    table->entries[0] = (struct mount_entry){.covered = 0, .root = system_root};
}

long mount_add(struct mount_table *table, long covered, long root)
{
    if (mount_busy(table, covered) || mount_busy(table, root))
        return -ARAMID_EBUSY;
    if (table->count >= MOUNT_MAX)
        return -ARAMID_ENOMEM;
    table->entries[table->count++] = (struct mount_entry){.covered = covered, .root = root};
    return 0;
}

long mount_enter(const struct mount_table *table, long inode)
{
    for (unsigned i = 1; i < table->count; i++) {
        if (table->entries[i].covered == inode)
            return table->entries[i].root;
    }
    return inode;
}

long mount_covered(const struct mount_table *table, long root)
{
    for (unsigned i = 1; i < table->count; i++) {
        if (table->entries[i].root == root)
            return table->entries[i].covered;
    }
    return 0;
}

bool mount_busy(const struct mount_table *table, long inode)
{
    for (unsigned i = 0; i < table->count; i++) {
        if (table->entries[i].covered == inode || table->entries[i].root == inode)
            return true;
    }
    return false;
}

long mount_system_root(const struct mount_table *table)
{
    return table->entries[0].root;
}
