/* libsys start blocks: building (for proc) and reading (for a starting program) the SysV stack. */
#include <aramid/errno.h>
#include <aramid/startinfo.h>

#include <stdint.h>

#include "kstring.h"

long aramid_start_build(unsigned char *buffer, size_t size, unsigned long stack_top,
                        const char *strings, size_t strings_length, long argc, long envc,
                        const struct aramid_auxv *auxv, size_t auxc, unsigned long *stack_pointer)
{
    if (argc < 0 || envc < 0 || argc > ARAMID_START_ARGS_MAX || envc > ARAMID_START_ARGS_MAX ||
        auxc >= ARAMID_START_AUXV_MAX || strings_length > size)
        return -ARAMID_E2BIG;
    /* slots: argc, argv + NULL, envp + NULL, auxv pairs + terminator pair */
    size_t slots = 1 + (size_t)argc + 1 + (size_t)envc + 1 + 2 * (auxc + 1);
    size_t strings_space = (strings_length + 15) & ~(size_t)15;
    size_t needed = slots * sizeof(unsigned long) + strings_space;
    needed = (needed + 15) & ~(size_t)15; /* the stack pointer is 16-byte aligned */
    if (needed > size || needed > stack_top || (stack_top & 15) != 0)
        return -ARAMID_E2BIG;

    unsigned char *block = buffer + size - needed;
    unsigned long block_address = stack_top - needed;
    unsigned char *text = buffer + size - strings_space;
    unsigned long text_address = stack_top - strings_space;
    memset(block, 0, needed);
    if (strings_length > 0)
        memcpy(text, strings, strings_length);

    /* Invariant: offset is where the next string starts in text; the strings fill exactly
     * strings_length bytes, each ending in a NUL inside them. */
    unsigned long *slot = (unsigned long *)(void *)block;
    size_t offset = 0;
    *slot++ = (unsigned long)argc;
    for (long list = 0; list < 2; list++) {
        long count = list == 0 ? argc : envc;
        for (long i = 0; i < count; i++) {
            size_t end = offset;
            while (end < strings_length && strings[end] != 0)
                end++;
            if (end >= strings_length)
                return -ARAMID_E2BIG;
            *slot++ = text_address + offset;
            offset = end + 1;
        }
        *slot++ = 0; /* the list's NULL */
    }
    for (size_t i = 0; i < auxc; i++) {
        *slot++ = auxv[i].type;
        *slot++ = auxv[i].value;
    }
    *slot++ = ARAMID_AT_NULL;
    *slot++ = 0;
    if ((unsigned char *)slot > text || offset != strings_length)
        return -ARAMID_E2BIG;
    *stack_pointer = block_address;
    return (long)needed;
}

long aramid_start_parse(unsigned long stack, struct aramid_startinfo *info)
{
    const unsigned long *slot = (const unsigned long *)stack;
    if (slot == NULL || (stack & 7) != 0 || slot[0] > ARAMID_START_ARGS_MAX)
        return -ARAMID_EINVAL;
    memset(info, 0, sizeof(*info));
    info->argc = (long)slot[0];
    info->argv = (char **)(slot + 1);
    if (slot[1 + info->argc] != 0)
        return -ARAMID_EINVAL;
    info->envp = (char **)(slot + 2 + info->argc);
    long envc = 0;
    while (info->envp[envc] != NULL) {
        if (++envc > ARAMID_START_ARGS_MAX)
            return -ARAMID_EINVAL;
    }
    const struct aramid_auxv *auxv = (const struct aramid_auxv *)(info->envp + envc + 1);
    info->auxv = auxv;
    for (size_t i = 0;; i++) {
        if (i >= ARAMID_START_AUXV_MAX)
            return -ARAMID_EINVAL;
        unsigned long value = auxv[i].value;
        switch (auxv[i].type) {
        case ARAMID_AT_NULL:
            return 0;
        case ARAMID_AT_PAGESZ:
            info->page_size = value;
            break;
        case ARAMID_AT_ENTRY:
            info->entry = value;
            break;
        case ARAMID_AT_ARAMID_PID:
            info->self.pid = (long)value;
            break;
        case ARAMID_AT_ARAMID_SPACE:
            info->self.space = (aramid_handle_t)value;
            break;
        case ARAMID_AT_ARAMID_PROCESS:
            info->self.process = (aramid_handle_t)value;
            break;
        case ARAMID_AT_ARAMID_PROC_ENDPOINT:
            info->self.endpoint = (aramid_handle_t)value;
            break;
        case ARAMID_AT_ARAMID_PROC_NOTIFICATION:
            info->self.notification = (aramid_handle_t)value;
            break;
        case ARAMID_AT_ARAMID_STACK_LOW:
            info->stack_low = value;
            break;
        case ARAMID_AT_ARAMID_SIGNAL_NOTIFICATION:
            info->self.signals = (aramid_handle_t)value;
            break;
        case ARAMID_AT_ARAMID_SIGNALS_BLOCKED:
            info->signals_blocked = value;
            break;
        case ARAMID_AT_ARAMID_SIGNALS_IGNORED:
            info->signals_ignored = value;
            break;
        case ARAMID_AT_ARAMID_CONSOLE_TOKEN:
            info->console_token = value;
            break;
        case ARAMID_AT_ARAMID_CONSOLE:
            info->self.console = (aramid_handle_t)value;
            break;
        case ARAMID_AT_ARAMID_CHILDREN:
            info->children = value;
            break;
        case ARAMID_AT_ARAMID_EVENT_ENDPOINT:
            info->self.event = (aramid_handle_t)value;
            break;
        case ARAMID_AT_ARAMID_SOCK_ENDPOINT:
            info->self.sock = (aramid_handle_t)value;
            break;
        case ARAMID_AT_ARAMID_VFS_ENDPOINT:
            info->self.vfs = (aramid_handle_t)value;
            break;
        case ARAMID_AT_ARAMID_VFS_TOKEN:
            info->vfs_token = value;
            break;
        case ARAMID_AT_ARAMID_IPC_ENDPOINT:
            info->self.ipc = (aramid_handle_t)value;
            break;
        default:
            break; /* unknown entries are skipped, as on Linux */
        }
    }
}
