/* The process map: open addressing keyed by kernel process id (aramid/process_map.h). */
#include <aramid/process_map.h>

static unsigned process_map_home(const struct aramid_process_map *map, long process)
{
    unsigned long x = (unsigned long)process * 0x9e3779b97f4a7c15ul;
    return (unsigned)(x >> 32) & (map->capacity - 1);
}

/* The slot of process, or -1. */
static long process_map_slot(const struct aramid_process_map *map, long process)
{
    if (map->capacity == 0 || process == 0)
        return -1;
    for (unsigned i = process_map_home(map, process);; i = (i + 1) & (map->capacity - 1)) {
        if (map->entries[i].process == process)
            return i;
        if (map->entries[i].process == 0)
            return -1;
    }
}

long *aramid_process_map_find(const struct aramid_process_map *map, long process)
{
    long slot = process_map_slot(map, process);
    return slot < 0 ? 0 : &map->entries[slot].value;
}

bool aramid_process_map_full(const struct aramid_process_map *map)
{
    return map->capacity == 0 || (map->count + 1) * 2 > map->capacity;
}

void aramid_process_map_move(struct aramid_process_map *map,
                             struct aramid_process_map_entry *entries, unsigned capacity)
{
    struct aramid_process_map old = *map;
    map->entries = entries;
    map->capacity = capacity;
    map->count = 0;
    for (unsigned i = 0; i < old.capacity; i++)
        if (old.entries[i].process != 0)
            *aramid_process_map_insert(map, old.entries[i].process) = old.entries[i].value;
}

long *aramid_process_map_insert(struct aramid_process_map *map, long process)
{
    unsigned i = process_map_home(map, process);
    while (map->entries[i].process != 0 && map->entries[i].process != process)
        i = (i + 1) & (map->capacity - 1);
    if (map->entries[i].process == 0) {
        map->entries[i] = (struct aramid_process_map_entry){.process = process, .value = 0};
        map->count++;
    }
    return &map->entries[i].value;
}

void aramid_process_map_remove(struct aramid_process_map *map, long process)
{
    long slot = process_map_slot(map, process);
    if (slot < 0)
        return;
    unsigned mask = map->capacity - 1;
    unsigned hole = (unsigned)slot;
    map->entries[hole].process = 0;
    map->count--;
    /* Knuth's algorithm R: an entry after the hole moves into it unless its home lies
     * cyclically in (hole, i]; then the hole moves on. */
    for (unsigned i = (hole + 1) & mask; map->entries[i].process != 0; i = (i + 1) & mask) {
        unsigned home = process_map_home(map, map->entries[i].process);
        bool stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
        if (stays)
            continue;
        map->entries[hole] = map->entries[i];
        map->entries[i].process = 0;
        hole = i;
    }
}
