/* Kernel symbol table for backtraces: `nm --numeric-sort` text of the kernel, loaded as a module. */
#ifndef ARAMID_KSYMS_H
#define ARAMID_KSYMS_H

#include <stddef.h>
#include <stdint.h>

struct ksyms {
    const char *text;
    size_t length;
};

struct ksym_match {
    const char *name; /* not NUL-terminated: name_length bytes */
    size_t name_length;
    uint64_t offset;  /* address - symbol address */
};

/* Uses text[0..length) as the table; lines are "HEXADDR TYPE NAME". Lines that do not parse are
 * skipped, so a damaged table can only make lookups fail, never read out of bounds. */
void ksyms_init(struct ksyms *table, const char *text, size_t length);

/* Finds the text symbol (type t/T/w/W) with the greatest address <= address. Returns 0 on a
 * match, -ENOENT when no symbol precedes address or the table is empty. */
int ksyms_lookup(const struct ksyms *table, uint64_t address, struct ksym_match *match);

#endif
