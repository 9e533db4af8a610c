/* Starting the root task: the first boot module, given handles to itself and every module. */
#ifndef ARAMID_ROOT_TASK_H
#define ARAMID_ROOT_TASK_H

#include <stdbool.h>

struct boot_info;

/* Loads the module named name (or, when name is empty, the first module other than the kernel's
 * symbols) as the root task and makes its first thread ready. Returns false when there is no
 * such module; a module that is not a valid executable is reported and also gives false. */
bool root_task_start(const struct boot_info *boot, const char *name);

#endif
