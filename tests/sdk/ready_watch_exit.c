/* Readiness watches of a process that exits go with it: children that each leave hundreds of
 * watches on the terminal (whose description never goes) must not use up the vfs's table of
 * watches, so that another process can still watch. The good calls come first. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <aramid/proto/ready.h>
#include <aramid/proto/vfs.h>
#include <aramid/sys.h>

#define CHILDREN 3
#define WATCHES_EACH 400 /* 1,200 in all: more than the vfs's 1,024 watches */

/* A watch on the terminal with a new notification: 0 or -errno. *handle: the readiness handle
 * (made when 0). */
static long watch_terminal(aramid_handle_t *handle)
{
    unsigned long id = 0;
    if (*handle <= 0) {
        long made = aramid_vfs_ready_handle(0, handle, &id);
        if (made != 0)
            return made;
    }
    long notification = sys_notification_create(0, 0);
    if (notification < 0)
        return notification;
    return aramid_ready_watch(*handle, notification, 0); /* the notification moves to the vfs */
}

int main(void)
{
    int ends[2]; /* the first vfs call opens posix-shim's vfs session, which the raw calls use */
    if (pipe(ends) != 0)
        return 2;
    close(ends[0]);
    close(ends[1]);
    aramid_handle_t handle = 0;
    long good = watch_terminal(&handle);
    long unwatched = handle > 0 ? aramid_ready_unwatch(handle) : -1;
    printf("watch the terminal: %ld, unwatch: %ld\n", good, unwatched);
    int children_ok = 1;
    for (int i = 0; i < CHILDREN; i++) {
        pid_t child = fork();
        if (child == 0) {
            aramid_handle_t own = 0;
            int made = 0;
            for (int w = 0; w < WATCHES_EACH; w++)
                made += watch_terminal(&own) == 0;
            _exit(made == WATCHES_EACH ? 0 : 1); /* leaving every watch behind */
        }
        int status = 0;
        children_ok &= child > 0 && waitpid(child, &status, 0) == child &&
                       WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    printf("%d children each left %d watches: %s\n", CHILDREN, WATCHES_EACH,
           children_ok ? "made" : "failed");
    long after = watch_terminal(&handle);
    printf("watch the terminal after they exited: %ld\n", after);
    (void)aramid_ready_unwatch(handle);
    return 0;
}
