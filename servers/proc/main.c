/* The process server: its start from init's hand-over and its calls' decoding (the receive loop
 * is libsys's aramid_server_serve). */
#include "proc.h"

#include <aramid/server.h>

struct proc_globals proc;
struct proc_table proc_table;

/* proc's IPC buffer: requests' strings arrive here. */
static char *proc_ipc_buffer;

/* Takes over what init handed us and enters pid 1 in the table. */
static long proc_start(unsigned long argument)
{
    const struct aramid_proc_boot *boot = (const struct aramid_proc_boot *)argument;
    if (argument != ARAMID_PROC_BOOT_ADDRESS || boot->magic != ARAMID_PROC_BOOT_MAGIC ||
        boot->bootinfo.magic != ARAMID_BOOTINFO_MAGIC)
        return -ARAMID_EINVAL;
    proc.boot = boot;
    proc.endpoint = boot->endpoint;
    long buffer = sys_ipc_buffer();
    long exits = sys_notification_create(0, 0);
    long probe = sys_notification_create(0, 0);
    if (buffer <= 0 || exits < 0 || probe < 0)
        return -ARAMID_ENOMEM;
    proc_ipc_buffer = (char *)buffer;
    proc.exit_notification = exits;
    proc.probe_notification = probe;
    long result = sys_notify_bind(exits);
    if (result < 0)
        return result;
    proc_table_init(&proc_table);
    /* Without the pages (no memory), processes ask proc for what they would hold. */
    long info = sys_memory_object_create(ARAMID_PROC_IDS_SIZE);
    long mapped = info > 0 ? aramid_memory_map(boot->bootinfo.self_space, ARAMID_PROC_IDS_SIZE,
                                               ARAMID_PROT_READ | ARAMID_PROT_WRITE, info, 0)
                           : -1;
    if (mapped > 0) {
        proc.ids_object = info;
        proc_table.ids = (struct aramid_proc_ids *)mapped;
        proc_hostname_publish();
    }
    struct proc_entry *init;
    result = proc_table_add(&proc_table, 0, &init);
    if (result < 0)
        return result;
    init->notification = boot->init_notification;
    init->badge = boot->init_badge; /* init was not made by proc: it tells its own */
    return 0;
}

/* Decodes the caller and the message, runs the handler and turns *message into the reply;
 * true: answer now (false: the handler kept the call). */
ARAMID_SERVER_INLINE bool proc_handle(struct aramid_message *message, void *buffer)
{
    (void)buffer; /* proc_ipc_buffer */
    unsigned label = ARAMID_IPC_LABEL(message->info);
    bool subscribed = message->badge == ARAMID_PROC_BADGE_SERVER &&
                      proc_events_system_server(message->sender);
    struct proc_call call = {
        .caller = subscribed ? NULL : proc_table_find_badge(&proc_table, message->sender),
        .reply = message->reply,
        .buffer = proc_ipc_buffer,
        .buffer_bytes = ARAMID_IPC_BUFFER_BYTES(message->info),
        .reply_buffer = proc_ipc_buffer,
        .sender = message->sender,
    };
    /* execve takes a handle (its program, which the handler closes), and a system server's
     * events_subscribe its notification; one moved with any other message is refused, closed. */
    aramid_handle_t granted =
        (message->info & ARAMID_IPC_GRANT) ? (aramid_handle_t)message->words[5] : 0;
    if (label == ARAMID_PROC_execve) {
        call.image = granted;
        granted = 0;
    }
    /* A system server (not made by proc) may read the event feed and send signals (the vfs's
     * ^C to a foreground group); its call has no caller entry. */
    bool server = call.caller == NULL && message->badge == ARAMID_PROC_BADGE_SERVER &&
                  (label == ARAMID_PROC_events_subscribe || label == ARAMID_PROC_events_read ||
                   label == ARAMID_PROC_kill || label == ARAMID_PROC_process_list ||
                   label == ARAMID_PROC_process_cmdline);
    unsigned long reply[ARAMID_IPC_REGISTERS] = {0};
    enum proc_action action = PROC_REPLY;
    if (call.buffer_bytes > ARAMID_IPC_BUFFER_SIZE)
        reply[0] = (unsigned long)-ARAMID_EINVAL;
    else if (call.caller == NULL && !server)
        reply[0] = (unsigned long)-ARAMID_ESRCH;
    else if (granted != 0 && !(server && label == ARAMID_PROC_events_subscribe))
        reply[0] = (unsigned long)-ARAMID_EINVAL;
    else {
        call.granted = granted;
        granted = 0;
        action = proc_dispatch(&call, label, message->words, reply); /* closes call.image */
        granted = call.granted; /* not taken by the handler */
    }
    if (call.image > 0 && (call.caller == NULL || call.buffer_bytes > ARAMID_IPC_BUFFER_SIZE))
        (void)sys_handle_close(call.image); /* refused before its handler saw it */
    if (granted > 0)
        (void)sys_handle_close(granted); /* a bad value fails harmlessly */
    aramid_message_answer(message, label, reply, call.reply_bytes, 0);
    return action == PROC_REPLY;
}

/* proc's only notification is its own bound one: processes' exits (their bits). */
static void proc_notified(unsigned long bits, unsigned long key)
{
    (void)key;
    proc_process_reap_events(bits);
}

/* Of the calls proc holds, only a kept wait4 outlives the handler; the others are of processes
 * it is ending (exit, execve, a kill of oneself), whose threads die. */
static const struct aramid_server_loop proc_loop = {
    .name = "proc",
    .notified = proc_notified,
    .cancel = proc_wait_cancel,
    .handle = proc_handle,
};

int aramid_main(unsigned long argument)
{
    long result = proc_start(argument);
    if (result < 0) {
        aramid_printf("proc: bad start (%ld)\n", result);
        return 1;
    }
    aramid_printf("proc: serving (limit %d processes)\n", PROC_TABLE_SIZE);
    return aramid_server_serve(&proc_loop, proc.endpoint);
}
