/* SDK test: issue 11's attacks, tried by an ordinary POSIX process as a hostile program would;
 * each must be refused with its errno (Linux's where Linux has the call), and the machine must go
 * on. Each row shows the good call first. (The unbounded kernel work, the never-run processes
 * and the quotas are kernel_security's: they need the creation authority.) */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <aramid/infopage.h>
#include <aramid/proto/proc.h>
#include <aramid/sys.h>

#define PAGE 4096ul

int main(void)
{
    aramid_handle_t space = aramid_proc_self.space, process = aramid_proc_self.process;
    /* vm_protect within the rights of what is mapped: the information page stays read-only,
     * a read-only object never becomes writable or executable. */
    long object = sys_memory_object_create(PAGE);
    long read_only = sys_handle_duplicate(object, ARAMID_RIGHT_READ | ARAMID_RIGHT_MAP);
    long at = aramid_memory_map(space, PAGE, ARAMID_PROT_READ, read_only, 0);
    printf("read-only object mapped: %s, protect read: %ld\n", at > 0 ? "yes" : "no",
           sys_vm_protect(space, at, PAGE, ARAMID_PROT_READ));
    printf("protect it writable: %ld, executable: %ld\n",
           sys_vm_protect(space, at, PAGE, ARAMID_PROT_READ | ARAMID_PROT_WRITE),
           sys_vm_protect(space, at, PAGE, ARAMID_PROT_READ | ARAMID_PROT_EXEC));
    printf("information page writable: %ld\n",
           sys_vm_protect(space, ARAMID_INFO_PAGE_ADDRESS, PAGE,
                          ARAMID_PROT_READ | ARAMID_PROT_WRITE));
    /* Spaces, processes and threads proc would never see. */
    printf("space_create: %ld, space_clone: %ld, process_create: %ld\n", sys_space_create(),
           sys_space_clone(space), sys_process_create(space, 0));
    /* Switching off proc's watch of its own death: only its own watch slot changes. */
    long note = sys_notification_create(0, 0);
    printf("its own exit watch: set %ld, clear %ld\n", sys_process_notify_exit(process, note, 1),
           sys_process_notify_exit(process, 0, 0));
    /* Bad pointers and absurd mappings: errors, not SIGSEGV. */
    errno = 0;
    long result = write(1, (void *)8, 10);
    printf("write from address 8: %ld errno %d\n", result, errno);
    struct stat st;
    errno = 0;
    result = stat((const char *)8, &st);
    printf("stat of path 8: %ld errno %d\n", result, errno);
    errno = 0;
    void *mapped = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap of a page: %s\n", mapped != MAP_FAILED ? "ok" : "failed");
    errno = 0;
    mapped = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1);
    printf("mmap at an unaligned offset: %s errno %d\n", mapped == MAP_FAILED ? "failed" : "ok",
           errno);
    errno = 0;
    mapped = mmap(NULL, 64ul << 40, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap of 64 TiB: %s errno %d\n", mapped == MAP_FAILED ? "failed" : "ok", errno);
    /* A child that tries to leave kernel processes behind, then exits: refused, and nothing
     * is left that kill(-1) cannot reach. */
    pid_t child = fork();
    if (child == 0) {
        long clone = sys_space_clone(aramid_proc_self.space);
        _exit(clone == -ARAMID_EPERM ? 0 : 1);
    }
    int status = 0;
    printf("child refused a space clone: %s\n",
           waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0
               ? "yes"
               : "no");
    errno = 0;
    result = kill(-1, 0);
    printf("kill(-1, 0) with no other process: %ld errno %d\n", result, errno);
    return 0;
}
