/* statfs, fstatfs, statvfs, fstatvfs: what every file system answers alike (sizes that fit
 * together, 4 KiB blocks, 255-byte names, a pipe's file system), and the path and descriptor
 * errors, each after the good call. */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include "contract.h"

#define PIPEFS_MAGIC 0x50495045

/* The facts of one answer that do not depend on the file system's size or kind. */
static void show_statfs(const char *what, const struct statfs *s)
{
    printf("%s: bsize %ld, frsize = bsize %d, namelen %ld, bfree <= blocks %d, "
           "bavail <= bfree %d, ffree <= files %d\n",
           what, (long)s->f_bsize, s->f_frsize == s->f_bsize, (long)s->f_namelen,
           s->f_bfree <= s->f_blocks, s->f_bavail <= s->f_bfree, s->f_ffree <= s->f_files);
}

int main(void)
{
    contract_start();
    char scratch[] = "/tmp/contract-XXXXXX";
    contract_scratch_start(scratch);
    struct statfs s, t;
    struct statvfs v;
    R(statfs("/tmp", &s));
    show_statfs("statfs /tmp", &s);
    R(statfs(".", &t));
    printf("scratch on the same file system as /tmp: %d\n", t.f_type == s.f_type);
    R(statvfs("/tmp", &v));
    printf("statvfs /tmp: bsize %lu, namemax %lu, blocks as statfs %d, read-only %d\n",
           (unsigned long)v.f_bsize, (unsigned long)v.f_namemax,
           (unsigned long)v.f_blocks == (unsigned long)s.f_blocks, (v.f_flag & ST_RDONLY) != 0);

    int file = open("file", O_CREAT | O_RDWR, 0600);
    R(fstatfs(file, &t));
    printf("fstatfs of a file there: type as statfs %d\n", t.f_type == s.f_type);
    R(fstatvfs(file, &v));
    printf("fstatvfs: namemax %lu\n", (unsigned long)v.f_namemax);
    int ends[2];
    R(pipe(ends));
    R(fstatfs(ends[0], &t));
    printf("pipe: pipefs %d, bsize %ld\n", t.f_type == PIPEFS_MAGIC, (long)t.f_bsize);

    /* Errors. */
    static char long_path[5000];
    memset(long_path, 'a', sizeof(long_path) - 1);
    R(statfs("", &t));
    R(statfs("missing", &t));
    R(statfs("missing/x", &t));
    R(statfs("file/x", &t));
    R(statfs(long_path, &t));
    R(statfs(contract_address(8), &t));
    R(statvfs("missing", &v));
    R(fstatfs(-1, &t));
    R(fstatfs(77, &t));
    R(fstatvfs(77, &v));
    void *read_only = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    R(statfs(".", read_only));
    R(fstatfs(file, read_only));
    R(close(file));
    R(fstatfs(file, &t));

    R(close(ends[0]));
    R(close(ends[1]));
    R(unlink("file"));
    R(chdir("/"));
    R(rmdir(scratch));
    return contract_pass();
}
