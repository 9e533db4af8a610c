/* AF_UNIX path names are socket files: bind makes one (EADDRINUSE when the path exists), stat
 * shows it, connect and sendto go through it (also by a relative path and after a rename),
 * open gives ENXIO, unlink removes the name, and the file outlives its socket. */
#include <fcntl.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "contract.h"

static socklen_t path_address(struct sockaddr_un *address, const char *path)
{
    memset(address, 0, sizeof(*address));
    address->sun_family = AF_UNIX;
    strncpy(address->sun_path, path, sizeof(address->sun_path) - 1);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static int bind_path(int fd, const char *path)
{
    struct sockaddr_un address;
    socklen_t length = path_address(&address, path);
    return bind(fd, (struct sockaddr *)&address, length);
}

static int connect_path(int fd, const char *path)
{
    struct sockaddr_un address;
    socklen_t length = path_address(&address, path);
    return connect(fd, (struct sockaddr *)&address, length);
}

static void show_stat(const char *what, const char *path)
{
    struct stat status;
    if (stat(path, &status) != 0) {
        printf("%s: stat = -1 %s\n", what, errno_name(errno));
        return;
    }
    printf("%s: socket %s, mode %03o, links %lu\n", what, S_ISSOCK(status.st_mode) ? "yes" : "no",
           (unsigned)(status.st_mode & 07777), (unsigned long)status.st_nlink);
}

static void exchange(int a, int b)
{
    char byte = 0;
    long put = (long)write(a, "s", 1);
    long got = (long)read(b, &byte, 1);
    printf("write %ld, read %ld '%c'\n", put, got, byte);
}

int main(void)
{
    contract_start();
    const char *path = "/tmp/sock_files.sock";
    unlink(path);
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("bind a path", bind_path(listener, path));
    show_stat("the socket file", path);
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("bind the same path again", bind_path(other, path));
    contract_result("bind the bound socket to another path",
                    bind_path(listener, "/tmp/sock_files.other"));
    show_stat("that other path", "/tmp/sock_files.other");
    contract_result("listen", listen(listener, 4));

    struct sockaddr_un own;
    socklen_t own_length = sizeof(own);
    contract_result("getsockname", getsockname(listener, (struct sockaddr *)&own, &own_length));
    printf("name: %s (length %u)\n", own.sun_path, (unsigned)own_length);

    contract_result("chdir /tmp", chdir("/tmp"));
    int client = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("connect by a relative path", connect_path(client, "sock_files.sock"));
    int server = accept(listener, NULL, NULL);
    printf("accepted: %s\n", server >= 0 ? "yes" : "no");
    exchange(client, server);
    struct sockaddr_un peer;
    socklen_t peer_length = sizeof(peer);
    contract_result("getpeername", getpeername(client, (struct sockaddr *)&peer, &peer_length));
    printf("peer: %s\n", peer.sun_path);
    close(client);
    close(server);

    contract_result("open the socket file", open(path, O_RDONLY));
    int file = open("/tmp/sock_files.plain", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    close(file);
    int refused = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("connect to a regular file", connect_path(refused, "/tmp/sock_files.plain"));
    contract_result("connect to nothing", connect_path(refused, "/tmp/sock_files.none"));
    unlink("/tmp/sock_files.plain");

    contract_result("rename the socket file", rename(path, "/tmp/sock_files.moved"));
    int mover = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("connect through the new name", connect_path(mover, "/tmp/sock_files.moved"));
    contract_result("connect through the old name", connect_path(refused, path));
    close(mover);
    int drained = accept(listener, NULL, NULL);
    close(drained);
    contract_result("unlink the socket file", unlink("/tmp/sock_files.moved"));
    show_stat("after unlink", "/tmp/sock_files.moved");
    int late = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("connect after unlink", connect_path(late, "/tmp/sock_files.moved"));
    close(late);

    /* The file outlives its socket. */
    contract_result("bind the path anew", bind_path(other, path));
    contract_result("close the bound socket", close(other));
    show_stat("after its socket closed", path);
    int again = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("connect to the orphaned file", connect_path(again, path));
    contract_result("bind the orphaned path", bind_path(again, path));
    contract_result("unlink it", unlink(path));
    contract_result("bind after unlink", bind_path(again, path));
    close(again);
    unlink(path);

    /* Datagrams to a path. */
    const char *dgram_path = "/tmp/sock_files.dgram";
    unlink(dgram_path);
    int receiver = socket(AF_UNIX, SOCK_DGRAM, 0);
    contract_result("bind a datagram socket", bind_path(receiver, dgram_path));
    int sender = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un to;
    socklen_t to_length = path_address(&to, dgram_path);
    contract_result("sendto the path",
                    sendto(sender, "dgram", 5, 0, (struct sockaddr *)&to, to_length));
    char buffer[16] = {0};
    long got = (long)recv(receiver, buffer, sizeof(buffer), 0);
    printf("received %ld '%s'\n", got, buffer);
    struct sockaddr_un nowhere;
    socklen_t nowhere_length = path_address(&nowhere, "/tmp/sock_files.nowhere");
    contract_result("sendto nothing",
                    sendto(sender, "x", 1, 0, (struct sockaddr *)&nowhere, nowhere_length));
    int stream = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("stream connect to the datagram file", connect_path(stream, dgram_path));
    close(stream);
    close(sender);
    close(receiver);
    unlink(dgram_path);
    close(refused);
    close(listener);
    return contract_pass();
}
