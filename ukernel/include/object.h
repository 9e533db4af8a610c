/* Kernel objects behind handles: taking and dropping references by handle type. */
#ifndef ARAMID_OBJECT_H
#define ARAMID_OBJECT_H

#include <stdint.h>

void object_get(void *object, uint32_t type);
void object_put(void *object, uint32_t type);

#endif
