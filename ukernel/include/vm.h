/* Virtual memory: the kernel's page tables, user address spaces, memory objects, and the
 * demand-zero and copy-on-write fault paths. */
#ifndef ARAMID_VM_H
#define ARAMID_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct address_space;
struct memory_object;

/* Protection bits, the same values as ARAMID_PROT_* in libsys/include/aramid/syscall.h. */
#define VM_PROT_READ 0x1
#define VM_PROT_WRITE 0x2
#define VM_PROT_EXEC 0x4
#define VM_PROT_ALL (VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXEC)

/* User addresses are [VM_USER_BASE, VM_USER_TOP): ARAMID_USER_BASE and ARAMID_USER_TOP. */
#define VM_USER_BASE 0x1000ul
#define VM_USER_TOP 0x00007ffffffff000ul

/* What a page fault was, as bits, for vm_handle_page_fault's callers (arch code; on x86-64 the
 * CPU's error code is these bits as it is: mmu_entry.h checks). */
#define VM_FAULT_PRESENT 0x01u /* a protection violation, not a missing page */
#define VM_FAULT_WRITE 0x02u
#define VM_FAULT_USER 0x04u /* the access came from ring 3 */
#define VM_FAULT_RESERVED 0x08u
#define VM_FAULT_FETCH 0x10u

/* Builds the kernel's own page tables (direct map of all RAM, no-execute; kernel image with
 * per-section permissions; global pages), switches to them and enables NX, SMEP, SMAP and
 * PCID when the CPU has them. Call once after memory_init(). */
void vm_init(void);

/* A new user address space with the kernel half shared; refcount 1. NULL when out of memory. */
struct address_space *address_space_create(void);
void address_space_get(struct address_space *space);
/* Drops a reference; the last one frees every page, page table and PCID of the space. The
 * space must not be loaded on any CPU then. */
void address_space_put(struct address_space *space);
/* Loads space on this CPU (NULL: the kernel-only space). Skips the CR3 write when space is
 * already loaded; uses PCIDs without flushing when the CPU has them. */
void address_space_activate(struct address_space *space);
/* The space loaded on this CPU, NULL for the kernel-only space. */
struct address_space *address_space_current(void);

/* Maps [address, address + length) with prot: anonymous demand-zero memory when object is NULL,
 * else the object's pages from offset (shared with every other mapping of it). Page-aligned
 * arguments inside [ARAMID_USER_BASE, ARAMID_USER_TOP), not overlapping an existing mapping;
 * otherwise -EINVAL (or -ENOMEM). */
int vm_map(struct address_space *space, uint64_t address, uint64_t length, int prot,
           struct memory_object *object, uint64_t offset);
/* vm_map with a ceiling: neither prot nor any later vm_protect of the range may exceed
 * max_prot (-EACCES), e.g. the rights of the memory-object handle it was mapped through.
 * prot | VM_MAP_PAST_END: an object's mapping may run past its end (a file's mmap on Linux);
 * a touch past the object's size faults with SIGBUS. */
#define VM_MAP_PAST_END 0x100
/* prot | VM_MAP_PRIVATE: an object's mapping is private (Linux's MAP_PRIVATE of a file): its
 * pages are the object's until a write copies them, so it needs no write right for PROT_WRITE;
 * charged as anonymous memory of that length. */
#define VM_MAP_PRIVATE 0x200
int vm_map_limited(struct address_space *space, uint64_t address, uint64_t length, int prot,
                   int max_prot, struct memory_object *object, uint64_t offset);
/* Unmaps whatever is mapped in the range (holes are fine), freeing private pages. */
int vm_unmap(struct address_space *space, uint64_t address, uint64_t length);
/* Changes protection of a fully mapped range; -ENOMEM if part of it is unmapped, -EACCES if
 * prot exceeds the ceiling of a region in it (as Linux). A frame region's ceiling is the prot
 * it was mapped with, so the information page stays read-only. */
int vm_protect(struct address_space *space, uint64_t address, uint64_t length, int prot);
/* Drops the frames of the pages of a fully mapped range and keeps its regions (madvise's
 * MADV_DONTNEED): anonymous pages are demand-zero again, object pages refault from the object.
 * -EINVAL for a bad range or one with a kernel-frame region, -ENOMEM for a hole. */
int vm_discard(struct address_space *space, uint64_t address, uint64_t length);
/* Maps one kernel-owned frame (refcount taken) at address, e.g. a thread's IPC buffer. phys
 * must be a single allocated frame of the frame zone; -EINVAL otherwise, or when address is
 * not a free user page. address_space_clone does not copy such a mapping into the clone. */
int vm_map_frame(struct address_space *space, uint64_t address, uint64_t phys, int prot);

struct quota;
/* Moves the charge of space's anonymous pages to quota (NULL: unlimited); 0, or -ENOMEM when
 * quota cannot take them (then nothing changes). A new space and a clone start charged to
 * nobody: their creator charges them (space_create, space_clone, process_create). */
int address_space_charge_to(struct address_space *space, struct quota *quota);
/* address_space_charge_to(space, to) if space is charged to from now; else 0, nothing done. */
int address_space_move_charge(struct address_space *space, struct quota *from, struct quota *to);
/* As for spaces: a memory object's pages are charged to quota for its whole life. */
int memory_object_charge_to(struct memory_object *object, struct quota *quota);

/* A copy-on-write copy of space: private pages are shared read-only until either side writes;
 * memory-object mappings stay shared. NULL when out of memory. */
struct address_space *address_space_clone(struct address_space *space);

/* Resolves a page fault at address in space (error_code as the CPU pushed it): demand-zero,
 * copy-on-write, or a memory object's page. 0 when resolved, -EFAULT when the access is not
 * allowed (unmapped, or protection), -ENOMEM when no frame is left. Faults from kernel mode
 * (VM_FAULT_USER clear) are -EFAULT: the kernel reaches user memory only through vm_read and
 * vm_write (SMAP is on), so such a fault is a kernel bug, never something to resolve. */
int vm_handle_page_fault(struct address_space *space, uint64_t address, uint64_t error_code);

/* Copies between kernel memory and space, which need not be loaded: pages are resolved as a
 * fault of that kind would be. -EFAULT when part of the range is not accessible that way. */
int vm_write(struct address_space *space, uint64_t address, const void *source, size_t length);
int vm_read(struct address_space *space, uint64_t address, void *destination, size_t length);

/* The physical address behind the user byte at address, its page made writable first (as a
 * write fault would: demand-zero, copy-on-write broken), so the frame stays the one written
 * from now on. -EFAULT when the page is unmapped or not writable, -ENOMEM when no frame is
 * left. (The wait-on-address key, futex.c.) */
int vm_user_frame(struct address_space *space, uint64_t address, uint64_t *phys_out);

/* Frames all memory objects hold (pages touched and not yet freed with their object); the
 * frames stay allocated while a mapping still references them. For kernel_stats. */
extern uint64_t memory_object_frames;
/* A memory object of size bytes (rounded up to pages), zero-filled on first touch; refcount 1. */
struct memory_object *memory_object_create(uint64_t size);
/* Drops object's frames for the page-aligned bytes [offset, offset + length) (at most
 * MEMORY_OBJECT_DISCARD_MAX pages): the object holds no frame there (the next touch reads zeros
 * again); a mapping that already has one keeps its own reference until it unmaps or discards
 * it, so no frame is freed under a mapping. 0; -EINVAL unaligned, past the object's slots or
 * beyond the bound. */
#define MEMORY_OBJECT_DISCARD_MAX 512
int memory_object_discard(struct memory_object *object, uint64_t offset, uint64_t length);
void memory_object_get(struct memory_object *object);
void memory_object_put(struct memory_object *object);
/* Makes object size bytes (rounded up to pages): growing past its slots charges the new
 * pages to its quota (-ENOMEM when it cannot take them); shrinking only ends what faults
 * reach (SIGBUS past it). 0 or -errno. */
int memory_object_resize(struct memory_object *object, uint64_t size);

#endif
