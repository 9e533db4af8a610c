/* Copying to and from the calling process's memory: range checks, then vm_read/vm_write, which
 * go through the direct map and resolve demand-zero and copy-on-write pages as faults would. The
 * kernel never dereferences a user pointer (SMAP stays on). */
#ifndef ARAMID_UACCESS_H
#define ARAMID_UACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when [address, address + length) lies inside the user half (length 0 allowed). */
bool uaccess_range_ok(uint64_t address, size_t length);
/* 0, or -EFAULT when the range is outside user space or not accessible that way. */
int copy_from_user(void *destination, uint64_t user_source, size_t length);
int copy_to_user(uint64_t user_destination, const void *source, size_t length);

#endif
