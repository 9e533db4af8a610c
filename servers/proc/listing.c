/* process_list and process_cmdline: what ps and the vfs's /proc show about each process. */
#include "proc.h"

#include "kstring.h"

/*
 * Per table slot, the argv of the image the process runs (as Linux's /proc/PID/cmdline:
 * NUL-ended strings, cut at ARAMID_PROC_CMDLINE_MAX bytes) and its name (the basename of
 * argv[0], Linux's comm). Set when an entry gets an image (execve, spawn) or a fork copy;
 * a slot's old contents are never shown, since every way into ALIVE sets them.
 */
static struct {
    char cmdline[ARAMID_PROC_CMDLINE_MAX];
    size_t length;
    char name[16];
} proc_listing[PROC_TABLE_SIZE];

static size_t proc_listing_slot(const struct proc_entry *entry)
{
    return (size_t)(entry - proc_table.entries);
}

void proc_listing_exec(const struct proc_entry *entry, const char *strings, size_t length,
                       long argc)
{
    size_t slot = proc_listing_slot(entry);
    size_t end = 0;
    /* The first argc strings (decoded and NUL-ended already by aramid_proc_strings_decode). */
    for (long i = 0; i < argc && end < length; i++)
        end += strlen(strings + end) + 1;
    if (end > sizeof(proc_listing[slot].cmdline))
        end = sizeof(proc_listing[slot].cmdline);
    memcpy(proc_listing[slot].cmdline, strings, end);
    proc_listing[slot].length = end;
    const char *name = argc > 0 ? strings : "";
    for (const char *at = name; *at != '\0'; at++) {
        if (*at == '/' && at[1] != '\0')
            name = at + 1;
    }
    size_t name_length = strlen(name);
    if (name_length >= sizeof(proc_listing[slot].name))
        name_length = sizeof(proc_listing[slot].name) - 1;
    memcpy(proc_listing[slot].name, name, name_length);
    proc_listing[slot].name[name_length] = '\0';
}

void proc_listing_fork(const struct proc_entry *parent, const struct proc_entry *child)
{
    proc_listing[proc_listing_slot(child)] = proc_listing[proc_listing_slot(parent)];
}

enum proc_action proc_do_process_list(struct proc_call *call,
                                      const struct aramid_proc_process_list_request *request,
                                      struct aramid_proc_process_list_reply *reply)
{
    struct aramid_proc_info *infos = call->reply_buffer;
    size_t count = 0;
    long next = 0;
    /* By pid: each pass takes the smallest pid >= start not taken yet. */
    long start = request->start > 0 ? request->start : 1;
    for (;;) {
        const struct proc_entry *best = NULL;
        for (size_t i = 0; i < PROC_TABLE_SIZE; i++) {
            const struct proc_entry *entry = &proc_table.entries[i];
            if (entry->state != PROC_FREE && entry->pid >= start &&
                (best == NULL || entry->pid < best->pid))
                best = entry;
        }
        if (best == NULL)
            break;
        if (count == ARAMID_PROC_INFOS_PER_READ) {
            next = best->pid;
            break;
        }
        struct aramid_proc_info *info = &infos[count++];
        memset(info, 0, sizeof(*info));
        info->pid = best->pid;
        info->ppid = best->parent;
        info->pgid = best->pgid;
        info->sid = best->sid;
        info->process = best->state == PROC_ALIVE ? best->badge : 0;
        info->state = best->state == PROC_ZOMBIE      ? 'Z'
                      : best->stopped                 ? 'T'
                      : best->badge == call->sender   ? 'R'
                                                      : 'S';
        memcpy(info->name, proc_listing[proc_listing_slot(best)].name, sizeof(info->name));
        if (best->pid == PROC_INIT_PID && info->name[0] == '\0')
            memcpy(info->name, "init", sizeof("init"));
        start = best->pid + 1;
    }
    call->reply_bytes = count * sizeof(struct aramid_proc_info);
    reply->result = (long)count;
    reply->next = next;
    return PROC_REPLY;
}

enum proc_action proc_do_process_cmdline(struct proc_call *call,
                                         const struct aramid_proc_process_cmdline_request *request,
                                         struct aramid_proc_process_cmdline_reply *reply)
{
    const struct proc_entry *entry = request->pid == 0 ? call->caller
                                     : request->pid > 0
                                         ? proc_table_find_pid(&proc_table, request->pid)
                                         : NULL;
    if (entry == NULL) {
        reply->result = -ARAMID_ESRCH;
        return PROC_REPLY;
    }
    size_t slot = proc_listing_slot(entry);
    size_t length = proc_listing[slot].length;
    if (entry->pid == PROC_INIT_PID && length == 0) {
        memcpy(proc_listing[slot].cmdline, "init", sizeof("init"));
        length = sizeof("init");
    }
    memcpy(call->reply_buffer, proc_listing[slot].cmdline, length);
    call->reply_bytes = length;
    reply->result = (long)length;
    return PROC_REPLY;
}
