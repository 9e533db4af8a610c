/* posix-shim's Aramid-native interface (<aramid_posix.h>): the boot information and error
 * conversion. */
#include <aramid_posix.h>

#include "shim.h"

const struct aramid_bootinfo *aramid_posix_bootinfo(void)
{
    return shim_bootinfo;
}

long aramid_posix_error(long sys_result)
{
    return shim_error_from_sys(sys_result);
}
