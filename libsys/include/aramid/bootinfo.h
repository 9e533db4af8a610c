/* What the kernel gives the root task: a read-only page describing its handles and the boot
 * modules. Its address arrives in rdi at the root task's entry point. */
#ifndef ARAMID_BOOTINFO_H
#define ARAMID_BOOTINFO_H

#define ARAMID_BOOTINFO_MAGIC 0x4f4f425f44494d41ul /* "AMID_BOO" */
#define ARAMID_BOOTINFO_MODULES_MAX 24
#define ARAMID_BOOTINFO_NAME_MAX 64
#define ARAMID_BOOTINFO_CMDLINE_MAX 512

struct aramid_boot_module {
    char name[ARAMID_BOOTINFO_NAME_MAX]; /* the module's string from grub.cfg, NUL-terminated */
    long memory_object;                  /* handle: the module's bytes, read-only */
    unsigned long size;                  /* bytes */
};

/* Handles are the root task's own; every field is filled, unused module slots are zero. */
struct aramid_bootinfo {
    unsigned long magic;
    long self_process;  /* handle to the root task's process */
    long self_space;    /* handle to its address space */
    unsigned long module_count;
    struct aramid_boot_module modules[ARAMID_BOOTINFO_MODULES_MAX];
    char cmdline[ARAMID_BOOTINFO_CMDLINE_MAX]; /* the kernel command line */
    long console; /* handle: console input (read, grant, duplicate); 0 with console_input=off */
};

#endif
