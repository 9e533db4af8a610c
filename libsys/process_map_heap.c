/* The process map's growth on aramid_heap (the map itself is pure: libsys/process_map.c). */
#include <aramid/heap.h>
#include <aramid/process_map.h>

long *aramid_process_map_add(struct aramid_process_map *map, long process)
{
    long *value = aramid_process_map_find(map, process);
    if (value != 0)
        return value;
    if (aramid_process_map_full(map)) {
        unsigned capacity = map->capacity ? map->capacity * 2 : 64;
        struct aramid_process_map_entry *entries =
            aramid_heap_alloc(capacity * sizeof(*entries));
        if (entries == 0)
            return 0;
        struct aramid_process_map_entry *old = map->entries;
        unsigned old_capacity = map->capacity;
        aramid_process_map_move(map, entries, capacity);
        if (old != 0)
            aramid_heap_free(old, old_capacity * sizeof(*old));
    }
    return aramid_process_map_insert(map, process);
}
