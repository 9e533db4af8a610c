/* Test program (root task): IPC round trips with a copy of itself as the server, in registers
 * and through the IPC buffer, every reply checked. */
#include <aramid/sys.h>

/* The server copy's argument: this flag plus its handle to the endpoint. User addresses are
 * below 2^47, so a bootinfo address never has it. */
#define PINGPONG_SERVER_FLAG (1ul << 63)
#define PINGPONG_ROUND_TRIPS 100000
#define PINGPONG_BUFFER_ROUNDS 200

/* Labels: the low byte says what to do, the server echoes the whole label. */
#define PINGPONG_KIND_WORDS 1  /* reply: each word + 1 */
#define PINGPONG_KIND_BUFFER 2 /* reply: each word + 1, each buffer byte XOR 0x5a, same length */
#define PINGPONG_KIND_BAD 0xff /* the server's reply to anything it did not expect */

static unsigned long pingpong_word(unsigned long round, unsigned index)
{
    return (round * 0x9e3779b97f4a7c15ul) ^ ((unsigned long)index << 56) ^ index;
}

static unsigned char pingpong_byte(unsigned long round, unsigned long index)
{
    return (unsigned char)(round * 31 + index * 7 + (index >> 8));
}

/* The server: transforms every request in place and replies; badges must not change. */
static int pingpong_serve(aramid_handle_t endpoint)
{
    unsigned char *buffer = (unsigned char *)sys_ipc_buffer();
    struct aramid_message message = {0};
    if ((long)buffer <= 0) {
        aramid_printf("pingpong server: ipc_buffer returned %ld\n", (long)buffer);
        return 2;
    }
    long result = aramid_ipc_wait(endpoint, &message);
    unsigned long first_badge = message.badge;
    while (result == 0) {
        unsigned label = ARAMID_IPC_LABEL(message.info);
        unsigned bytes = ARAMID_IPC_BUFFER_BYTES(message.info);
        unsigned kind = label & 0xff;
        /* The buffer holds ARAMID_IPC_BUFFER_SIZE bytes whatever the info word claims. */
        if (message.badge != first_badge || bytes > ARAMID_IPC_BUFFER_SIZE ||
            (kind != PINGPONG_KIND_WORDS && kind != PINGPONG_KIND_BUFFER)) {
            message.info = ARAMID_IPC_INFO(PINGPONG_KIND_BAD, 0);
        } else {
            for (unsigned i = 0; i < ARAMID_IPC_REGISTERS; i++)
                message.words[i]++;
            if (kind == PINGPONG_KIND_BUFFER) {
                for (unsigned i = 0; i < bytes; i++)
                    buffer[i] ^= 0x5a;
            }
            message.info = ARAMID_IPC_INFO(label, kind == PINGPONG_KIND_BUFFER ? bytes : 0);
        }
        result = aramid_ipc_reply_wait(endpoint, &message);
    }
    aramid_printf("pingpong server: receive failed with %ld\n", result);
    return 2;
}

static int pingpong_check_words(const struct aramid_message *reply, unsigned long round,
                                unsigned label, unsigned bytes)
{
    if (ARAMID_IPC_LABEL(reply->info) != label || ARAMID_IPC_BUFFER_BYTES(reply->info) != bytes) {
        aramid_printf("pingpong: round %lu: reply info %#lx, expected label %#x, %u bytes\n", round,
                      reply->info, label, bytes);
        return -1;
    }
    for (unsigned i = 0; i < ARAMID_IPC_REGISTERS; i++) {
        if (reply->words[i] != pingpong_word(round, i) + 1) {
            aramid_printf("pingpong: round %lu: word %u is %#lx, expected %#lx\n", round, i,
                          reply->words[i], pingpong_word(round, i) + 1);
            return -1;
        }
    }
    return 0;
}

static int pingpong_round(aramid_handle_t endpoint, unsigned long round, unsigned kind,
                          unsigned bytes, unsigned char *buffer)
{
    struct aramid_message message = {0};
    unsigned label = (unsigned)(round << 8) | kind;
    for (unsigned i = 0; i < ARAMID_IPC_REGISTERS; i++)
        message.words[i] = pingpong_word(round, i);
    for (unsigned long i = 0; i < bytes; i++)
        buffer[i] = pingpong_byte(round, i);
    message.info = ARAMID_IPC_INFO(label, bytes);
    long result = aramid_ipc_call(endpoint, &message);
    if (result != 0) {
        aramid_printf("pingpong: round %lu: ipc_call returned %ld\n", round, result);
        return -1;
    }
    if (pingpong_check_words(&message, round, label, bytes) != 0)
        return -1;
    for (unsigned long i = 0; i < bytes; i++) {
        if (buffer[i] != (pingpong_byte(round, i) ^ 0x5a)) {
            aramid_printf("pingpong: round %lu: buffer byte %lu of %u is %#x, expected %#x\n",
                          round, i, bytes, buffer[i], pingpong_byte(round, i) ^ 0x5a);
            return -1;
        }
    }
    return 0;
}

static int pingpong_client(const struct aramid_bootinfo *bootinfo)
{
    static const unsigned buffer_sizes[] = {1, 64, 100, 4095, ARAMID_IPC_BUFFER_SIZE};
    struct aramid_child server;
    long endpoint = sys_endpoint_create();
    if (endpoint <= 0) {
        aramid_printf("pingpong: endpoint_create returned %ld\n", endpoint);
        return 1;
    }
    long result = aramid_spawn_load_module(bootinfo, "ipc_pingpong", &server);
    if (result < 0) {
        aramid_printf("pingpong: loading the server failed with %ld\n", result);
        return 1;
    }
    long granted = sys_handle_grant(server.process, endpoint, ARAMID_RIGHTS_ALL);
    if (granted <= 0) {
        aramid_printf("pingpong: handle_grant returned %ld\n", granted);
        return 1;
    }
    result = aramid_spawn_start(&server, PINGPONG_SERVER_FLAG | (unsigned long)granted);
    if (result < 0) {
        aramid_printf("pingpong: starting the server failed with %ld\n", result);
        return 1;
    }

    unsigned char *buffer = (unsigned char *)sys_ipc_buffer();
    if ((long)buffer <= 0) {
        aramid_printf("pingpong: ipc_buffer returned %ld\n", (long)buffer);
        return 1;
    }
    long start = sys_clock_monotonic();
    for (unsigned long round = 0; round < PINGPONG_ROUND_TRIPS; round++) {
        if (pingpong_round(endpoint, round, PINGPONG_KIND_WORDS, 0, buffer) != 0)
            return 1;
    }
    long end = sys_clock_monotonic();
    aramid_printf("pingpong: %d round trips ok\n", PINGPONG_ROUND_TRIPS);
    if (start >= 0 && end >= start)
        aramid_printf("pingpong: %ld ns per round trip (not a benchmark: TCG)\n",
                      (end - start) / PINGPONG_ROUND_TRIPS);

    for (unsigned s = 0; s < sizeof(buffer_sizes) / sizeof(buffer_sizes[0]); s++) {
        for (unsigned long round = 0; round < PINGPONG_BUFFER_ROUNDS; round++) {
            if (pingpong_round(endpoint, round, PINGPONG_KIND_BUFFER, buffer_sizes[s], buffer))
                return 1;
        }
    }
    aramid_printf("pingpong: buffer messages of 1, 64, 100, 4095 and 4096 bytes ok\n");
    return 0;
}

int aramid_main(unsigned long argument)
{
    if (argument & PINGPONG_SERVER_FLAG)
        return pingpong_serve((aramid_handle_t)(argument & ~PINGPONG_SERVER_FLAG));
    const struct aramid_bootinfo *bootinfo = (const struct aramid_bootinfo *)argument;
    if (bootinfo == NULL || bootinfo->magic != ARAMID_BOOTINFO_MAGIC) {
        aramid_printf("pingpong: bad bootinfo\n");
        return 1;
    }
    return pingpong_client(bootinfo);
}
