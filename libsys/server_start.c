/* libsys: how an owner server that init starts (event, sock) takes over its hand-over page,
 * sets up its heap and its parent notification, and subscribes to proc's process events. */
#include <aramid/heap.h>
#include <aramid/proto/proc.h>
#include <aramid/proto/ready.h>
#include <aramid/sys.h>

long aramid_server_start(unsigned long argument, unsigned long magic, unsigned long proc_key,
                         struct aramid_server_handles *out)
{
    const struct aramid_server_boot *boot = (const struct aramid_server_boot *)argument;
    if (argument != ARAMID_SERVER_BOOT_ADDRESS || boot->magic != magic)
        return -ARAMID_EINVAL;
    out->endpoint = boot->endpoint;
    out->space = boot->space;
    out->proc = boot->proc;
    out->event = boot->event;
    out->vfs = boot->vfs;
    out->sock = boot->sock;
    aramid_heap_init(out->space);
    aramid_proc_self.endpoint = out->proc; /* libsys's proc stubs (events_read) use it */
    long parent = sys_notification_create(0, 0);
    if (parent < 0)
        return parent;
    out->notifications = parent;
    long result = sys_notify_bind(parent);
    if (result < 0)
        return result;
    /* proc signals a child of our parent notification, reported with proc_key. */
    long child = sys_notification_create(parent, proc_key);
    if (child < 0)
        return child;
    long signal = sys_handle_duplicate(child, ARAMID_RIGHT_SIGNAL | ARAMID_RIGHT_GRANT);
    if (signal < 0)
        return signal;
    out->proc_feed = child;
    struct aramid_message message = {
        .info = ARAMID_IPC_INFO(ARAMID_PROC_events_subscribe, 0) | ARAMID_IPC_GRANT};
    message.words[5] = (unsigned long)signal;
    result = aramid_ipc_call(out->proc, &message);
    return result < 0 ? result : (long)message.words[0];
}
