/* libsys: a server's reading of proc's process-event feed (fork, exec and exit records). */
#include <aramid/server.h>

void aramid_server_feed_read(const struct aramid_server_feed *feed, aramid_handle_t proc)
{
    static struct aramid_proc_event records[ARAMID_PROC_EVENTS_PER_READ];
    static bool reading; /* a destroy below may not feed again */
    if (reading || proc <= 0)
        return;
    reading = true;
    for (;;) {
        bool lost = false;
        long count = aramid_proc_events_read(records, ARAMID_PROC_EVENTS_PER_READ, &lost);
        if (count <= 0)
            break;
        for (long i = 0; i < count; i++) {
            if (feed->each != NULL)
                feed->each(&records[i]);
            if (records[i].kind == ARAMID_PROC_EVENT_FORK)
                feed->fork(records[i].parent, records[i].process);
            else if (records[i].kind == ARAMID_PROC_EVENT_EXIT ||
                     records[i].kind == ARAMID_PROC_EVENT_EXEC)
                feed->gone(records[i].process, records[i].kind);
        }
        if ((size_t)count < ARAMID_PROC_EVENTS_PER_READ)
            break;
    }
    reading = false;
}
