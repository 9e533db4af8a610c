/* Boot modules by name: the lookup execve, spawn and module_open share, and module_open. */
#include "proc.h"

#include "kstring.h"

/* name without leading "/" and "./" */
static const char *proc_module_relative(const char *name)
{
    for (;;) {
        if (name[0] == '/')
            name++;
        else if (name[0] == '.' && name[1] == '/')
            name += 2;
        else
            return name;
    }
}

/* A path names the module whose name is the same once leading "/" and "./" are taken off both
 * (aramid-run's --file GUEST names, e.g. "/contract/NAME", and plain program names). */
const struct aramid_boot_module *proc_module_find(const char *path)
{
    const struct aramid_bootinfo *bootinfo = &proc.boot->bootinfo;
    const char *relative = proc_module_relative(path);
    unsigned long count = bootinfo->module_count;
    if (count > ARAMID_BOOTINFO_MODULES_MAX)
        count = ARAMID_BOOTINFO_MODULES_MAX;
    if (relative[0] == '\0')
        return NULL;
    for (unsigned long i = 0; i < count; i++) {
        const struct aramid_boot_module *module = &bootinfo->modules[i];
        if (strncmp(proc_module_relative(module->name), relative, ARAMID_BOOTINFO_NAME_MAX) == 0)
            return module;
    }
    return NULL;
}

enum proc_action proc_do_module_open(struct proc_call *call,
                                     const struct aramid_proc_module_open_request *request,
                                     struct aramid_proc_module_open_reply *reply)
{
    char name[ARAMID_BOOTINFO_NAME_MAX];
    (void)request;
    if (call->buffer_bytes == 0 || call->buffer_bytes >= sizeof(name)) {
        reply->result = -ARAMID_EINVAL;
        return PROC_REPLY;
    }
    memcpy(name, call->buffer, call->buffer_bytes);
    name[call->buffer_bytes] = '\0';
    if (strlen(name) != call->buffer_bytes) {
        reply->result = -ARAMID_EINVAL; /* a NUL inside the name */
        return PROC_REPLY;
    }
    const struct aramid_boot_module *module = proc_module_find(name);
    if (module == NULL || call->caller->process <= 0) {
        reply->result = -ARAMID_ENOENT; /* init reads its modules itself */
        return PROC_REPLY;
    }
    reply->result = sys_handle_grant(call->caller->process, module->memory_object,
                                     ARAMID_RIGHT_READ | ARAMID_RIGHT_MAP);
    reply->size = (long)module->size;
    return PROC_REPLY;
}
