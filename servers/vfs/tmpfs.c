/* tmpfs: inodes, directories, file data in pages, per-file-system size limits (pure logic). */
#include "tmpfs.h"

#include <aramid/errno.h>

#include "kstring.h"

#define TMPFS_DIRENT_DIR 4
#define TMPFS_DIRENT_REG 8
#define TMPFS_DIRENT_LNK 10
#define TMPFS_DIRENT_CHR 2
#define TMPFS_DIRENT_FIFO 1
#define TMPFS_DIRENT_SOCK 12

void tmpfs_init(struct tmpfs *tmpfs, const struct tmpfs_memory *memory)
{
    memset(tmpfs, 0, sizeof(*tmpfs));
    tmpfs->memory = *memory;
    tmpfs->inode_hint = 1;
}

static unsigned long tmpfs_now(struct tmpfs *tmpfs)
{
    return tmpfs->memory.now != NULL ? tmpfs->memory.now(tmpfs->memory.context) : 0;
}

struct tmpfs_inode *tmpfs_inode(struct tmpfs *tmpfs, long inode)
{
    if (inode <= 0 || inode >= TMPFS_INODES_MAX || tmpfs->inodes[inode].mode == 0)
        return NULL;
    return &tmpfs->inodes[inode];
}

/* A free inode of file system fs with mode, one link and times set, or -ENOSPC. */
static long tmpfs_inode_allocate(struct tmpfs *tmpfs, unsigned fs, unsigned mode)
{
    for (long n = 0; n < TMPFS_INODES_MAX - 1; n++) {
        long i = 1 + (tmpfs->inode_hint - 1 + n) % (TMPFS_INODES_MAX - 1);
        struct tmpfs_inode *node = &tmpfs->inodes[i];
        if (node->mode != 0)
            continue;
        memset(node, 0, sizeof(*node));
        node->mode = mode;
        node->nlink = 1;
        node->fs = fs;
        node->first_entry = node->last_entry = -1;
        node->parent = i;
        node->atime = node->mtime = node->ctime = tmpfs_now(tmpfs);
        tmpfs->inode_hint = i + 1;
        return i;
    }
    return -ARAMID_ENOSPC;
}

long tmpfs_fs_create(struct tmpfs *tmpfs, unsigned long page_limit, long *root)
{
    for (unsigned fs = 0; fs < TMPFS_FILE_SYSTEMS_MAX; fs++) {
        struct tmpfs_fs *system = &tmpfs->file_systems[fs];
        if (system->used)
            continue;
        long inode = tmpfs_inode_allocate(tmpfs, fs, TMPFS_S_IFDIR | 0755);
        if (inode < 0)
            return inode;
        tmpfs->inodes[inode].nlink = 2;
        *system = (struct tmpfs_fs){.used = true, .root = inode, .page_limit = page_limit};
        *root = inode;
        return fs;
    }
    return -ARAMID_ENOMEM;
}

/* The data page slot of page number page, allocating index pages when create; NULL when the
 * index page is missing (a hole) or cannot be allocated. */
static void **tmpfs_slot(struct tmpfs *tmpfs, struct tmpfs_inode *node, unsigned long page,
                         bool create)
{
    unsigned long high = page / TMPFS_INDEX_SLOTS, low = page % TMPFS_INDEX_SLOTS;
    if (high >= TMPFS_INDEX_SLOTS)
        return NULL;
    if (node->index == NULL) {
        if (!create)
            return NULL;
        node->index = tmpfs->memory.page_alloc(tmpfs->memory.context);
        if (node->index == NULL)
            return NULL;
    }
    if (node->index[high] == NULL) {
        if (!create)
            return NULL;
        node->index[high] = tmpfs->memory.page_alloc(tmpfs->memory.context);
        if (node->index[high] == NULL)
            return NULL;
    }
    return &node->index[high][low];
}

/* Whether data page number of node is a page of its window. */
static bool tmpfs_in_window(const struct tmpfs_inode *node, unsigned long number)
{
    return number < node->window_pages;
}

/* Frees data pages from page number first on, and index pages left empty. A window's pages
 * stay (the window's mappings keep seeing them), those below zero_end zeroed (the file's old
 * end: a page past it holds only stores past the end, and zeroing it would give it a frame),
 * unless the inode goes (gone): then they only leave the index. */
static void tmpfs_pages_free(struct tmpfs *tmpfs, struct tmpfs_inode *node, unsigned long first,
                             unsigned long zero_end, bool gone)
{
    if (node->index == NULL)
        return;
    struct tmpfs_fs *system = &tmpfs->file_systems[node->fs];
    for (unsigned long high = 0; high < TMPFS_INDEX_SLOTS; high++) {
        void **second = node->index[high];
        if (second == NULL)
            continue;
        bool empty = true;
        for (unsigned long low = 0; low < TMPFS_INDEX_SLOTS; low++) {
            if (second[low] == NULL)
                continue;
            if (high * TMPFS_INDEX_SLOTS + low < first) {
                empty = false;
                continue;
            }
            if (tmpfs_in_window(node, high * TMPFS_INDEX_SLOTS + low)) {
                if (!gone) {
                    if (high * TMPFS_INDEX_SLOTS + low < zero_end)
                        memset(second[low], 0, TMPFS_PAGE_SIZE);
                    empty = false;
                    continue;
                }
            } else {
                tmpfs->memory.page_free(tmpfs->memory.context, second[low]);
            }
            second[low] = NULL;
            node->pages--;
            system->pages_used--;
        }
        if (empty) {
            tmpfs->memory.page_free(tmpfs->memory.context, second);
            node->index[high] = NULL;
        }
    }
    if (first == 0 && (gone || node->window_pages == 0)) {
        tmpfs->memory.page_free(tmpfs->memory.context, node->index);
        node->index = NULL;
    }
}

/* Sets the size of inode, telling the window's owner when it has one. */
static void tmpfs_size_set(struct tmpfs *tmpfs, long inode, unsigned long size)
{
    struct tmpfs_inode *node = &tmpfs->inodes[inode];
    bool changed = node->size != size;
    node->size = size;
    if (changed && node->window_pages != 0 && tmpfs->memory.window_resize != NULL)
        tmpfs->memory.window_resize(tmpfs->memory.context, inode, size);
}

/* Frees an inode that has neither links nor open descriptions. */
static void tmpfs_inode_put(struct tmpfs *tmpfs, long inode)
{
    struct tmpfs_inode *node = &tmpfs->inodes[inode];
    if (node->nlink != 0 || node->opens != 0)
        return;
    tmpfs_pages_free(tmpfs, node, 0, 0, true);
    if (node->window != NULL && tmpfs->memory.window_release != NULL)
        tmpfs->memory.window_release(tmpfs->memory.context, inode);
    node->window = NULL;
    node->window_pages = 0;
    node->mode = 0;
}

void tmpfs_open(struct tmpfs *tmpfs, long inode)
{
    tmpfs->inodes[inode].opens++;
}

void tmpfs_close(struct tmpfs *tmpfs, long inode)
{
    tmpfs->inodes[inode].opens--;
    tmpfs_inode_put(tmpfs, inode);
}

/* The entry index of name in directory node, or -1; *previous = the entry before it. */
static long tmpfs_entry_find(struct tmpfs *tmpfs, const struct tmpfs_inode *node, const char *name,
                             size_t length, long *previous)
{
    long before = -1;
    for (long e = node->first_entry; e >= 0; e = tmpfs->entries[e].next) {
        const struct tmpfs_entry *entry = &tmpfs->entries[e];
        if (entry->name_length == length && memcmp(entry->name, name, length) == 0) {
            if (previous != NULL)
                *previous = before;
            return e;
        }
        before = e;
    }
    return -1;
}

/* Checks that dir is a directory and name a valid entry name. */
static long tmpfs_check_dir_name(struct tmpfs *tmpfs, long dir, size_t length)
{
    struct tmpfs_inode *node = tmpfs_inode(tmpfs, dir);
    if (node == NULL)
        return -ARAMID_ENOENT;
    if (!TMPFS_IS_DIR(node->mode))
        return -ARAMID_ENOTDIR;
    if (length > TMPFS_NAME_MAX)
        return -ARAMID_ENAMETOOLONG;
    if (length == 0)
        return -ARAMID_ENOENT;
    return 0;
}

long tmpfs_lookup(struct tmpfs *tmpfs, long dir, const char *name, size_t length)
{
    long result = tmpfs_check_dir_name(tmpfs, dir, length);
    if (result < 0)
        return result;
    long e = tmpfs_entry_find(tmpfs, &tmpfs->inodes[dir], name, length, NULL);
    return e < 0 ? -ARAMID_ENOENT : tmpfs->entries[e].inode;
}

/* Appends an entry name -> inode to dir (which has no entry of that name). */
static long tmpfs_entry_add(struct tmpfs *tmpfs, long dir, const char *name, size_t length,
                            long inode)
{
    for (long n = 0; n < TMPFS_ENTRIES_MAX; n++) {
        long e = (tmpfs->entry_hint + n) % TMPFS_ENTRIES_MAX;
        struct tmpfs_entry *entry = &tmpfs->entries[e];
        if (entry->inode != 0)
            continue;
        entry->inode = inode;
        entry->next = -1;
        entry->name_length = (unsigned)length;
        memcpy(entry->name, name, length);
        entry->name[length] = '\0';
        struct tmpfs_inode *node = &tmpfs->inodes[dir];
        if (node->last_entry >= 0)
            tmpfs->entries[node->last_entry].next = e;
        else
            node->first_entry = e;
        node->last_entry = e;
        node->entries++;
        node->mtime = node->ctime = tmpfs_now(tmpfs);
        tmpfs->entry_hint = e + 1;
        return 0;
    }
    return -ARAMID_ENOSPC;
}

/* Takes entry e (after previous, -1 for the first) out of dir. */
static void tmpfs_entry_remove(struct tmpfs *tmpfs, long dir, long e, long previous)
{
    struct tmpfs_inode *node = &tmpfs->inodes[dir];
    long next = tmpfs->entries[e].next;
    if (previous >= 0)
        tmpfs->entries[previous].next = next;
    else
        node->first_entry = next;
    if (node->last_entry == e)
        node->last_entry = previous;
    node->entries--;
    node->mtime = node->ctime = tmpfs_now(tmpfs);
    tmpfs->entries[e].inode = 0;
}

long tmpfs_create(struct tmpfs *tmpfs, long dir, const char *name, size_t length, unsigned mode,
                  unsigned long rdev)
{
    long result = tmpfs_check_dir_name(tmpfs, dir, length);
    if (result < 0)
        return result;
    struct tmpfs_inode *parent = &tmpfs->inodes[dir];
    if (parent->nlink == 0)
        return -ARAMID_ENOENT; /* a removed directory takes no new entries */
    if (tmpfs_entry_find(tmpfs, parent, name, length, NULL) >= 0)
        return -ARAMID_EEXIST;
    bool directory = TMPFS_IS_DIR(mode);
    if (directory && parent->nlink >= TMPFS_LINK_MAX)
        return -ARAMID_EMLINK;
    long inode = tmpfs_inode_allocate(tmpfs, parent->fs, mode);
    if (inode < 0)
        return inode;
    struct tmpfs_inode *node = &tmpfs->inodes[inode];
    node->rdev = rdev;
    result = tmpfs_entry_add(tmpfs, dir, name, length, inode);
    if (result < 0) {
        node->mode = 0;
        return result;
    }
    if (directory) {
        node->nlink = 2;
        node->parent = dir;
        parent->nlink++;
    }
    return inode;
}

long tmpfs_link(struct tmpfs *tmpfs, long dir, const char *name, size_t length, long inode)
{
    long result = tmpfs_check_dir_name(tmpfs, dir, length);
    if (result < 0)
        return result;
    struct tmpfs_inode *node = tmpfs_inode(tmpfs, inode);
    struct tmpfs_inode *parent = &tmpfs->inodes[dir];
    if (node == NULL)
        return -ARAMID_ENOENT;
    if (tmpfs_entry_find(tmpfs, parent, name, length, NULL) >= 0)
        return -ARAMID_EEXIST;
    if (node->fs != parent->fs)
        return -ARAMID_EXDEV;
    if (TMPFS_IS_DIR(node->mode))
        return -ARAMID_EPERM;
    if (node->nlink == 0)
        return -ARAMID_ENOENT;
    if (node->nlink >= TMPFS_LINK_MAX)
        return -ARAMID_EMLINK;
    result = tmpfs_entry_add(tmpfs, dir, name, length, inode);
    if (result < 0)
        return result;
    node->nlink++;
    node->ctime = tmpfs_now(tmpfs);
    return 0;
}

/* Drops the link an entry held on inode (a directory: its own "." and its parent's ".."). */
static void tmpfs_link_drop(struct tmpfs *tmpfs, long dir, long inode)
{
    struct tmpfs_inode *node = &tmpfs->inodes[inode];
    if (TMPFS_IS_DIR(node->mode)) {
        node->nlink = 0;
        tmpfs->inodes[dir].nlink--;
    } else {
        node->nlink--;
    }
    node->ctime = tmpfs_now(tmpfs);
    tmpfs_inode_put(tmpfs, inode);
}

long tmpfs_unlink(struct tmpfs *tmpfs, long dir, const char *name, size_t length, bool directory)
{
    long result = tmpfs_check_dir_name(tmpfs, dir, length);
    if (result < 0)
        return result;
    long previous;
    long e = tmpfs_entry_find(tmpfs, &tmpfs->inodes[dir], name, length, &previous);
    if (e < 0)
        return -ARAMID_ENOENT;
    long inode = tmpfs->entries[e].inode;
    struct tmpfs_inode *node = &tmpfs->inodes[inode];
    if (directory && !TMPFS_IS_DIR(node->mode))
        return -ARAMID_ENOTDIR;
    if (!directory && TMPFS_IS_DIR(node->mode))
        return -ARAMID_EISDIR;
    if (directory && node->entries != 0)
        return -ARAMID_ENOTEMPTY;
    tmpfs_entry_remove(tmpfs, dir, e, previous);
    tmpfs_link_drop(tmpfs, dir, inode);
    return 0;
}

/* Whether directory inode is ancestor or the same as directory dir. */
static bool tmpfs_is_ancestor(struct tmpfs *tmpfs, long inode, long dir)
{
    for (long at = dir;; at = tmpfs->inodes[at].parent) {
        if (at == inode)
            return true;
        if (tmpfs->inodes[at].parent == at)
            return false;
    }
}

long tmpfs_rename(struct tmpfs *tmpfs, long old_dir, const char *old_name, size_t old_length,
                  long new_dir, const char *new_name, size_t new_length)
{
    long result = tmpfs_check_dir_name(tmpfs, old_dir, old_length);
    if (result == 0)
        result = tmpfs_check_dir_name(tmpfs, new_dir, new_length);
    if (result < 0)
        return result;
    long old_previous, new_previous;
    long old_e = tmpfs_entry_find(tmpfs, &tmpfs->inodes[old_dir], old_name, old_length,
                                  &old_previous);
    if (old_e < 0)
        return -ARAMID_ENOENT;
    long inode = tmpfs->entries[old_e].inode;
    struct tmpfs_inode *node = &tmpfs->inodes[inode];
    if (tmpfs->inodes[new_dir].fs != node->fs)
        return -ARAMID_EXDEV;
    bool directory = TMPFS_IS_DIR(node->mode);
    long new_e = tmpfs_entry_find(tmpfs, &tmpfs->inodes[new_dir], new_name, new_length,
                                  &new_previous);
    long target = new_e >= 0 ? tmpfs->entries[new_e].inode : 0;
    if (target == inode)
        return 0; /* two links of one file, or the same name: nothing happens */
    if (directory && tmpfs_is_ancestor(tmpfs, inode, new_dir))
        return -ARAMID_EINVAL;
    if (target != 0) {
        const struct tmpfs_inode *replaced = &tmpfs->inodes[target];
        if (directory && !TMPFS_IS_DIR(replaced->mode))
            return -ARAMID_ENOTDIR;
        if (!directory && TMPFS_IS_DIR(replaced->mode))
            return -ARAMID_EISDIR;
        if (directory && replaced->entries != 0)
            return -ARAMID_ENOTEMPTY;
        /* The target's entry now names inode: no allocation, so nothing can fail from here. */
        tmpfs->entries[new_e].inode = inode;
        tmpfs->inodes[new_dir].mtime = tmpfs->inodes[new_dir].ctime = tmpfs_now(tmpfs);
        tmpfs_link_drop(tmpfs, new_dir, target);
        if (directory)
            tmpfs->inodes[new_dir].nlink++; /* the moved directory's ".." */
    } else {
        result = tmpfs_entry_add(tmpfs, new_dir, new_name, new_length, inode);
        if (result < 0)
            return result;
        if (directory)
            tmpfs->inodes[new_dir].nlink++;
    }
    /* The old entry may have moved in the list if old_dir == new_dir: find it again. */
    old_e = tmpfs_entry_find(tmpfs, &tmpfs->inodes[old_dir], old_name, old_length, &old_previous);
    tmpfs_entry_remove(tmpfs, old_dir, old_e, old_previous);
    if (directory) {
        tmpfs->inodes[old_dir].nlink--;
        node->parent = new_dir;
    }
    node->ctime = tmpfs_now(tmpfs);
    return 0;
}

long tmpfs_read(struct tmpfs *tmpfs, long inode, unsigned long offset, void *buffer, size_t length)
{
    struct tmpfs_inode *node = tmpfs_inode(tmpfs, inode);
    if (node == NULL)
        return -ARAMID_EBADF;
    if (TMPFS_IS_DIR(node->mode))
        return -ARAMID_EISDIR;
    if (offset >= node->size)
        return 0;
    if (length > node->size - offset)
        length = node->size - offset;
    size_t done = 0;
    while (done < length) {
        unsigned long at = offset + done;
        size_t in_page = TMPFS_PAGE_SIZE - at % TMPFS_PAGE_SIZE;
        if (in_page > length - done)
            in_page = length - done;
        void **slot = tmpfs_slot(tmpfs, node, at / TMPFS_PAGE_SIZE, false);
        if (slot == NULL || *slot == NULL)
            memset((char *)buffer + done, 0, in_page);
        else
            memcpy((char *)buffer + done, (char *)*slot + at % TMPFS_PAGE_SIZE, in_page);
        done += in_page;
    }
    /* relatime, as Linux mounts by default, without its daily refresh: the access time moves
     * only when it is not newer than the last change (and a read costs no clock). */
    if (node->atime <= node->mtime)
        node->atime = tmpfs_now(tmpfs);
    return (long)done;
}

long tmpfs_write(struct tmpfs *tmpfs, long inode, unsigned long offset, const void *buffer,
                 size_t length)
{
    struct tmpfs_inode *node = tmpfs_inode(tmpfs, inode);
    if (node == NULL)
        return -ARAMID_EBADF;
    if (TMPFS_IS_DIR(node->mode))
        return -ARAMID_EISDIR;
    if (length == 0)
        return 0;
    if (offset >= TMPFS_FILE_SIZE_MAX)
        return -ARAMID_EFBIG;
    if (length > TMPFS_FILE_SIZE_MAX - offset)
        length = TMPFS_FILE_SIZE_MAX - offset;
    struct tmpfs_fs *system = &tmpfs->file_systems[node->fs];
    size_t done = 0;
    while (done < length) {
        unsigned long at = offset + done;
        size_t in_page = TMPFS_PAGE_SIZE - at % TMPFS_PAGE_SIZE;
        if (in_page > length - done)
            in_page = length - done;
        void **slot = tmpfs_slot(tmpfs, node, at / TMPFS_PAGE_SIZE, true);
        if (slot == NULL)
            break;
        if (*slot == NULL) {
            if (system->page_limit != 0 && system->pages_used >= system->page_limit)
                break;
            *slot = tmpfs->memory.page_alloc(tmpfs->memory.context);
            if (*slot == NULL)
                break;
            node->pages++;
            system->pages_used++;
        }
        memcpy((char *)*slot + at % TMPFS_PAGE_SIZE, (const char *)buffer + done, in_page);
        done += in_page;
    }
    if (done == 0)
        return -ARAMID_ENOSPC;
    if (offset + done > node->size)
        tmpfs_size_set(tmpfs, inode, offset + done);
    node->mtime = node->ctime = tmpfs_now(tmpfs);
    return (long)done;
}

long tmpfs_truncate(struct tmpfs *tmpfs, long inode, unsigned long size)
{
    struct tmpfs_inode *node = tmpfs_inode(tmpfs, inode);
    if (node == NULL)
        return -ARAMID_EBADF;
    if (TMPFS_IS_DIR(node->mode))
        return -ARAMID_EISDIR;
    if (size > TMPFS_FILE_SIZE_MAX)
        return -ARAMID_EFBIG;
    if (size < node->size) {
        unsigned long keep = (size + TMPFS_PAGE_SIZE - 1) / TMPFS_PAGE_SIZE;
        tmpfs_pages_free(tmpfs, node, keep,
                         (node->size + TMPFS_PAGE_SIZE - 1) / TMPFS_PAGE_SIZE, false);
        if (size % TMPFS_PAGE_SIZE != 0) {
            void **slot = tmpfs_slot(tmpfs, node, size / TMPFS_PAGE_SIZE, false);
            if (slot != NULL && *slot != NULL)
                memset((char *)*slot + size % TMPFS_PAGE_SIZE, 0,
                       TMPFS_PAGE_SIZE - size % TMPFS_PAGE_SIZE);
        }
    }
    tmpfs_size_set(tmpfs, inode, size);
    node->mtime = node->ctime = tmpfs_now(tmpfs);
    return 0;
}

long tmpfs_window_attach(struct tmpfs *tmpfs, long inode, void *window, unsigned long pages)
{
    struct tmpfs_inode *node = tmpfs_inode(tmpfs, inode);
    if (node == NULL || !TMPFS_IS_REG(node->mode) || pages < node->window_pages ||
        pages > TMPFS_INDEX_SLOTS * TMPFS_INDEX_SLOTS ||
        (node->window != NULL && node->window != window))
        return -ARAMID_EINVAL;
    struct tmpfs_fs *system = &tmpfs->file_systems[node->fs];
    unsigned long holes = 0;
    for (unsigned long number = node->window_pages; number < pages; number++) {
        void **slot = tmpfs_slot(tmpfs, node, number, false);
        holes += slot == NULL || *slot == NULL;
    }
    if (system->page_limit != 0 && system->pages_used + holes > system->page_limit)
        return -ARAMID_ENOSPC;
    node->window = window;
    for (unsigned long number = node->window_pages; number < pages; number++) {
        void **slot = tmpfs_slot(tmpfs, node, number, true);
        if (slot == NULL)
            return -ARAMID_ENOMEM;
        unsigned char *page = node->window + number * TMPFS_PAGE_SIZE;
        if (*slot != NULL) {
            memcpy(page, *slot, TMPFS_PAGE_SIZE);
            tmpfs->memory.page_free(tmpfs->memory.context, *slot);
        } else {
            node->pages++;
            system->pages_used++;
        }
        *slot = page;
        node->window_pages = number + 1;
    }
    return 0;
}

const void *tmpfs_page(struct tmpfs *tmpfs, long inode, unsigned long offset)
{
    struct tmpfs_inode *node = tmpfs_inode(tmpfs, inode);
    if (node == NULL)
        return NULL;
    void **slot = tmpfs_slot(tmpfs, node, offset / TMPFS_PAGE_SIZE, false);
    return slot == NULL ? NULL : *slot;
}

unsigned tmpfs_dirent_type(unsigned mode)
{
    switch (mode & TMPFS_S_IFMT) {
    case TMPFS_S_IFDIR:
        return TMPFS_DIRENT_DIR;
    case TMPFS_S_IFREG:
        return TMPFS_DIRENT_REG;
    case TMPFS_S_IFLNK:
        return TMPFS_DIRENT_LNK;
    case TMPFS_S_IFCHR:
        return TMPFS_DIRENT_CHR;
    case TMPFS_S_IFIFO:
        return TMPFS_DIRENT_FIFO;
    case TMPFS_S_IFSOCK:
        return TMPFS_DIRENT_SOCK;
    default:
        return 0;
    }
}

long tmpfs_readdir(struct tmpfs *tmpfs, long dir, unsigned long *cookie, tmpfs_emit_fn emit,
                   void *context)
{
    struct tmpfs_inode *node = tmpfs_inode(tmpfs, dir);
    if (node == NULL)
        return -ARAMID_EBADF;
    if (!TMPFS_IS_DIR(node->mode))
        return -ARAMID_ENOTDIR;
    long emitted = 0;
    if (*cookie == 0) {
        if (emit(context, dir, TMPFS_DIRENT_DIR, ".", 1, 1) != 0)
            return emitted;
        emitted++;
        *cookie = 1;
    }
    if (*cookie == 1) {
        if (emit(context, node->parent, TMPFS_DIRENT_DIR, "..", 2, 2) != 0)
            return emitted;
        emitted++;
        *cookie = 2;
    }
    unsigned long position = 2;
    for (long e = node->first_entry; e >= 0; e = tmpfs->entries[e].next, position++) {
        if (position < *cookie)
            continue;
        const struct tmpfs_entry *entry = &tmpfs->entries[e];
        unsigned type = tmpfs_dirent_type(tmpfs->inodes[entry->inode].mode);
        if (emit(context, entry->inode, type, entry->name, entry->name_length, position + 1) != 0)
            return emitted;
        emitted++;
        *cookie = position + 1;
    }
    return emitted;
}
