/* posix-shim's side of the ipc server: shared memory descriptors (shm.c), used by named
 * semaphores (semaphore_named.c) and mmap (mman.c), and message queue descriptors (mqueue.c). */
#ifndef POSIX_SHIM_IPC_CLIENT_H
#define POSIX_SHIM_IPC_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <aramid/proto/ipc.h>

#include "fd.h"

extern const struct fd_backend shm_backend;
extern const struct fd_backend mqueue_backend;

/* name as glibc takes it (leading slashes skipped, "sem." put in front when prefix says so)
 * into out (ARAMID_IPCS_NAME_MAX + 1 bytes): its length, or -EINVAL (empty, a '/' inside),
 * -ENAMETOOLONG, -EFAULT. */
long shm_name_prepare(const char *name, const char *prefix, char *out);
/* Opens a prepared name (Linux O_* flags); initial -1 for shared memory, else a named
 * semaphore's value. The object's handle and id, or -errno. */
long shm_object_open(const char *name, int linux_flags, mode_t mode, long initial,
                     aramid_handle_t *handle, unsigned long *id);
/* Removes a prepared name: 0 or -errno. */
long shm_object_unlink(const char *name);
/* Maps length bytes of the object behind handle at offset (MAP_SHARED: the object itself;
 * MAP_PRIVATE: copy-on-write of it), as mmap would: the address or -errno. */
long shm_object_map(aramid_handle_t handle, uintptr_t address, size_t length, int prot,
                    int flags, off_t offset);
/* mmap of a shm descriptor (mman.c): checks the access mode, then shm_object_map. */
long shm_map_file(struct fd_file *file, uintptr_t address, size_t length, int prot, int flags,
                  off_t offset);
/* ftruncate of a shm descriptor (file.c). */
long shm_truncate(struct fd_file *file, off_t length);
/* A descriptor for a prepared name (open(2)'s flags and mode): shm_open, and open(2) of a name
 * in /dev/shm (the vfs answers ARAMID_VFS_KIND_SHM). */
long shm_descriptor_open(const char *name, int flags, mode_t mode, int close_on_exec);
/* Tells the server the process no longer holds the object and closes the handle. */
void shm_object_close(aramid_handle_t handle);
/* Before a fork: every shm description's offset moves to shared memory, so parent and child
 * share it as one open file description (Linux). 0, or -errno (then nothing is forked). */
long shm_fork_prepare(void);

/* The calling thread's IPC buffer, asked of the kernel once per thread. */
void *ipc_client_buffer(void);
/* Message bytes for the ipc server (as servers/ipc/bulk.c takes them): prepare puts length
 * bytes of user text in the IPC buffer (returns the bytes to send) or, past one buffer, in a
 * new memory object (*grant; returns 0); deliver copies a reply's length bytes to user memory
 * from the IPC buffer or from the memory object the reply granted (then closed). -errno. */
long ipc_bulk_prepare(const void *text, size_t length, aramid_handle_t *grant);
struct aramid_message;
long ipc_bulk_deliver(const struct aramid_message *reply, void *user, size_t length);

/* mman.c: maps pages of object (0: anonymous) at address (with MAP_FIXED: exactly there). */
long mman_map_object(uintptr_t address, size_t pages, int prot, int flags,
                     aramid_handle_t object, unsigned long offset);

#endif
