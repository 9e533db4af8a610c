/* References to kernel objects by handle type: the one place that knows every object kind. */
#include <stdint.h>

#include "console.h"
#include "handle.h"
#include "ipc.h"
#include "object.h"
#include "process.h"
#include "thread.h"
#include "vm.h"

void object_get(void *object, uint32_t type)
{
    switch (type) {
    case HANDLE_TYPE_THREAD:
        thread_get(object);
        break;
    case HANDLE_TYPE_ADDRESS_SPACE:
        address_space_get(object);
        break;
    case HANDLE_TYPE_ENDPOINT:
        endpoint_get(object);
        break;
    case HANDLE_TYPE_NOTIFICATION:
        notification_get(object);
        break;
    case HANDLE_TYPE_MEMORY_OBJECT:
        memory_object_get(object);
        break;
    case HANDLE_TYPE_PROCESS:
        process_get(object);
        break;
    case HANDLE_TYPE_CONSOLE:
        break; /* static: lives as long as the kernel */
    default:
        kernel_panic("object_get: unknown type %u", type);
    }
}

void object_put(void *object, uint32_t type)
{
    switch (type) {
    case HANDLE_TYPE_THREAD:
        thread_put(object);
        break;
    case HANDLE_TYPE_ADDRESS_SPACE:
        address_space_put(object);
        break;
    case HANDLE_TYPE_ENDPOINT:
        endpoint_put(object);
        break;
    case HANDLE_TYPE_NOTIFICATION:
        notification_put(object);
        break;
    case HANDLE_TYPE_MEMORY_OBJECT:
        memory_object_put(object);
        break;
    case HANDLE_TYPE_PROCESS:
        process_put(object);
        break;
    case HANDLE_TYPE_CONSOLE:
        break;
    default:
        kernel_panic("object_put: unknown type %u", type);
    }
}
