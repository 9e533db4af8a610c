/* SDK test helper (a second translation unit, compiled with -c): many malloc'd blocks. */
#ifndef MEMORY_BLOCKS_H
#define MEMORY_BLOCKS_H

#include <stddef.h>

/* Allocates count blocks of size bytes, fills and checks them, frees them; returns the bytes. */
size_t memory_blocks_fill_and_free(size_t count, size_t size);

#endif
