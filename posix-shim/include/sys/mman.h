/* Memory mappings (posix-shim): anonymous mmap, munmap and mprotect; Linux's flag values. */
#ifndef _SYS_MMAN_H_
#define _SYS_MMAN_H_

#include <sys/cdefs.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PROT_NONE 0x0
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON MAP_ANONYMOUS
#define MAP_NORESERVE 0x4000 /* accepted; every mapping is demand-zero anyway */

#define MAP_FAILED ((void *)-1)

/* Anonymous mappings, private copies of files, and shm_open objects (MAP_SHARED maps the object
 * itself); other shared file mappings fail with ENODEV. MAP_SHARED memory is a memory object,
 * so it stays shared with future children. */
void *mmap(void *address, size_t length, int prot, int flags, int fd, off_t offset);
int munmap(void *address, size_t length);
int mprotect(void *address, size_t length, int prot);
/* msync: every mapping is coherent memory here, so it only checks the range and flags (EINVAL,
 * ENOMEM for a range not mapped whole, as Linux). */
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4
int msync(void *address, size_t length, int flags);
/* POSIX shared memory objects (the ipc server): names as glibc takes them; the descriptor is
 * sized with ftruncate, checked with fstat and mapped with mmap. */
int shm_open(const char *name, int flags, mode_t mode);
int shm_unlink(const char *name);

#ifdef __cplusplus
}
#endif

#endif
