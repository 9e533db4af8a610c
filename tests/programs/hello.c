/* Test program (root task): greets, checks the bootinfo page and lists the boot modules. */
#include <aramid/sys.h>

int aramid_main(unsigned long bootinfo_address)
{
    const struct aramid_bootinfo *bootinfo = (const struct aramid_bootinfo *)bootinfo_address;

    aramid_printf("hello from user space\n");
    if (bootinfo == NULL || bootinfo->magic != ARAMID_BOOTINFO_MAGIC) {
        aramid_printf("hello: bad bootinfo at %p\n", (const void *)bootinfo);
        return 1;
    }
    if (bootinfo->module_count > ARAMID_BOOTINFO_MODULES_MAX) {
        aramid_printf("hello: %lu modules, more than %d\n", bootinfo->module_count,
                      ARAMID_BOOTINFO_MODULES_MAX);
        return 1;
    }
    aramid_printf("hello: bootinfo magic ok, %lu modules\n", bootinfo->module_count);
    for (unsigned long i = 0; i < bootinfo->module_count; i++) {
        const struct aramid_boot_module *module = &bootinfo->modules[i];
        aramid_printf("hello: module %lu '%.*s' %lu bytes\n", i, ARAMID_BOOTINFO_NAME_MAX,
                      module->name, module->size);
    }
    if (aramid_module_find(bootinfo, "hello") == NULL) {
        aramid_printf("hello: own module 'hello' not found\n");
        return 1;
    }
    aramid_printf("hello: cmdline '%.*s'\n", ARAMID_BOOTINFO_CMDLINE_MAX, bootinfo->cmdline);
    return 0;
}
