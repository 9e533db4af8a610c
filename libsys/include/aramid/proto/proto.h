/* Preprocessor helpers shared by the protocol headers: word lists turned into struct fields. */
#ifndef ARAMID_PROTO_PROTO_H
#define ARAMID_PROTO_PROTO_H

#include <aramid/errno.h>

/* The number of arguments, 0..6 (the GNU ", ##__VA_ARGS__" drops the comma when there are none). */
#define ARAMID_PROTO_COUNT(...) ARAMID_PROTO_COUNT_(0, ##__VA_ARGS__, 6, 5, 4, 3, 2, 1, 0)
#define ARAMID_PROTO_COUNT_(z, a, b, c, d, e, f, n, ...) n
#define ARAMID_PROTO_CAT(a, b) ARAMID_PROTO_CAT_(a, b)
#define ARAMID_PROTO_CAT_(a, b) a##b

/* macro(word) for each word of a parenthesised list such as (pid, options) or (). The extra
 * level expands the list before ARAMID_PROTO_COUNT sees it, so () counts as zero. */
#define ARAMID_PROTO_EACH(macro, list) ARAMID_PROTO_EACH_(macro, ARAMID_PROTO_UNPACK list)
#define ARAMID_PROTO_UNPACK(...) __VA_ARGS__
#define ARAMID_PROTO_EACH_(macro, ...) ARAMID_PROTO_EACH__(macro, __VA_ARGS__)
#define ARAMID_PROTO_EACH__(macro, ...)                                                            \
    ARAMID_PROTO_CAT(ARAMID_PROTO_EACH_, ARAMID_PROTO_COUNT(__VA_ARGS__))(macro, ##__VA_ARGS__)
#define ARAMID_PROTO_EACH_0(m, ...)
#define ARAMID_PROTO_EACH_1(m, a) m(a)
#define ARAMID_PROTO_EACH_2(m, a, ...) m(a) ARAMID_PROTO_EACH_1(m, __VA_ARGS__)
#define ARAMID_PROTO_EACH_3(m, a, ...) m(a) ARAMID_PROTO_EACH_2(m, __VA_ARGS__)
#define ARAMID_PROTO_EACH_4(m, a, ...) m(a) ARAMID_PROTO_EACH_3(m, __VA_ARGS__)
#define ARAMID_PROTO_EACH_5(m, a, ...) m(a) ARAMID_PROTO_EACH_4(m, __VA_ARGS__)
#define ARAMID_PROTO_EACH_6(m, a, ...) m(a) ARAMID_PROTO_EACH_5(m, __VA_ARGS__)

/* One `long word;` per word: every message word is a signed machine word. */
#define ARAMID_PROTO_FIELD(word) long word;
#define ARAMID_PROTO_FIELDS(list) ARAMID_PROTO_EACH(ARAMID_PROTO_FIELD, list)

/*
 * What a client stub of a server other than proc (vfs, event, sock) returns for the IPC error
 * of its call: the kernel's -EPIPE says the server died holding the call, or its endpoint died,
 * which the client sees as an I/O error, -EIO. A server's own -EPIPE (a pipe
 * or socket with no reader) is a protocol answer and comes back in reply->result instead, so
 * the two never mix. Other IPC errors pass unchanged. proc's stubs keep -EPIPE (proc.h).
 */
#define ARAMID_PROTO_SERVER_GONE(result) ((result) == -ARAMID_EPIPE ? -ARAMID_EIO : (result))

#endif
