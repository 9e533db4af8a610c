/* Files: open flags, read, write, lseek beyond the end and holes, pread/pwrite, readv/writev, truncation. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "contract.h"

static void show_file(const char *path)
{
    char buffer[64];
    int fd = open(path, O_RDONLY);
    ssize_t n = read(fd, buffer, sizeof(buffer));
    printf("%s holds %zd bytes:", path, n);
    for (ssize_t i = 0; i < n; i++)
        printf(" %02x", (unsigned char)buffer[i]);
    printf("\n");
    close(fd);
}

int main(void)
{
    contract_start();
    char scratch[] = "/tmp/contract-XXXXXX";
    contract_scratch_start(scratch);
    char buffer[32];
    struct stat status;
    R(open("file", O_RDONLY));
    int fd = open("file", O_RDWR | O_CREAT | O_EXCL, 0644);
    printf("created: %s\n", fd >= 0 ? "yes" : errno_name(errno));
    R(open("file", O_RDWR | O_CREAT | O_EXCL, 0644));
    R(write(fd, "hello", 5));
    R(lseek(fd, 0, SEEK_CUR));
    R(lseek(fd, 0, SEEK_SET));
    R(read(fd, buffer, sizeof(buffer)));
    R(read(fd, buffer, sizeof(buffer)));
    R(lseek(fd, 10, SEEK_END));
    R(write(fd, "!", 1));
    R(fstat(fd, &status));
    printf("size %ld\n", (long)status.st_size);
    show_file("file");
    R(lseek(fd, -1, SEEK_SET));
    R(lseek(fd, 0, 7));
    R(pwrite(fd, "HE", 2, 0));
    R(pread(fd, buffer, 4, 1));
    printf("pread: %.4s\n", buffer);
    R(lseek(fd, 0, SEEK_CUR));
    R(pread(fd, buffer, 4, -1));
    struct iovec pieces[3] = {{"ab", 2}, {"", 0}, {"cde", 3}};
    R(lseek(fd, 0, SEEK_SET));
    R(writev(fd, pieces, 3));
    char first[3] = {0}, second[4] = {0};
    struct iovec in[2] = {{first, 2}, {second, 3}};
    R(lseek(fd, 0, SEEK_SET));
    R(readv(fd, in, 2));
    printf("readv: %s %s\n", first, second);
    R(ftruncate(fd, 3));
    show_file("file");
    R(ftruncate(fd, -1));
    R(truncate("file", 6));
    show_file("file");
    R(truncate("missing", 1));
    R(close(fd));
    fd = open("file", O_WRONLY | O_APPEND);
    R(lseek(fd, 0, SEEK_SET));
    R(write(fd, "Z", 1));
    R(read(fd, buffer, 1));
    R(close(fd));
    show_file("file");
    fd = open("file", O_RDONLY | O_TRUNC);
    R(write(fd, "x", 1));
    R(ftruncate(fd, 0));
    R(close(fd));
    fd = open("file", O_WRONLY | O_TRUNC);
    R(fstat(fd, &status));
    printf("after O_TRUNC: size %ld\n", (long)status.st_size);
    R(close(fd));
    /* An unlinked file lives while it is open. */
    fd = open("file", O_RDWR);
    R(write(fd, "kept", 4));
    R(unlink("file"));
    R(access("file", F_OK));
    R(pread(fd, buffer, 4, 0));
    printf("after unlink: %.4s\n", buffer);
    R(fstat(fd, &status));
    printf("nlink %ld\n", (long)status.st_nlink);
    R(close(fd));
    R(open(".", O_WRONLY));
    R(open("file/", O_CREAT | O_WRONLY, 0644));
    R(rmdir(scratch));
    return contract_pass();
}
