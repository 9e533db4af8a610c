/* Message bytes in and out of the ipc server: up to one IPC buffer in it, longer ones (POSIX
 * and System V messages up to 8,192 bytes) in a memory object moved with the call or reply. */
#include "ipc.h"

#include "kstring.h"

#define IPC_PAGE 4096ul
#define IPC_PAGE_ROUND_UP(value) (((value) + IPC_PAGE - 1) & ~(IPC_PAGE - 1))

long ipc_bulk_in(struct ipc_call *call, void *destination, size_t length)
{
    if (length <= ARAMID_IPC_BUFFER_SIZE) {
        if (call->request_bytes != length)
            return -ARAMID_EINVAL;
        memcpy(destination, call->buffer, length);
        return 0;
    }
    if (call->granted <= 0 || call->request_bytes != 0)
        return -ARAMID_EINVAL;
    /* The caller's memory object: it must hold length bytes (the kernel checks the size). */
    size_t pages = IPC_PAGE_ROUND_UP(length);
    long address = aramid_memory_map(ipc.space, pages, ARAMID_PROT_READ, call->granted, 0);
    if (address < 0)
        return -ARAMID_EINVAL;
    memcpy(destination, (const void *)address, length);
    (void)sys_vm_unmap(ipc.space, (unsigned long)address, pages);
    return 0;
}

long ipc_bulk_out(const void *source, size_t length, aramid_handle_t *grant)
{
    *grant = 0;
    if (length <= ARAMID_IPC_BUFFER_SIZE) {
        memcpy(ipc.buffer, source, length);
        return (long)length;
    }
    size_t pages = IPC_PAGE_ROUND_UP(length);
    aramid_handle_t memory = 0;
    long address = aramid_memory_create_mapped(ipc.space, pages, &memory);
    if (address < 0)
        return address;
    memcpy((void *)address, source, length);
    (void)sys_vm_unmap(ipc.space, (unsigned long)address, pages);
    long handle = sys_handle_duplicate(memory, ARAMID_RIGHT_READ | ARAMID_RIGHT_MAP |
                                                   ARAMID_RIGHT_GRANT);
    (void)sys_handle_close(memory);
    if (handle < 0)
        return handle;
    *grant = handle;
    return 0;
}

long ipc_answer_bulk(unsigned long token, long result, long word, const void *source,
                     size_t length)
{
    aramid_handle_t grant;
    long bytes = ipc_bulk_out(source, length, &grant);
    if (bytes < 0)
        return aramid_server_answer(token, bytes, NULL, 0, 0, 0);
    struct aramid_message message = {.info = ARAMID_IPC_INFO(0, (size_t)bytes)};
    message.words[0] = (unsigned long)result;
    message.words[1] = (unsigned long)word;
    if (grant > 0) {
        message.info |= ARAMID_IPC_GRANT;
        message.words[5] = (unsigned long)grant;
    }
    long answered = aramid_ipc_reply(token, &message);
    if (answered < 0 && grant > 0)
        (void)sys_handle_close(grant);
    return answered;
}
