/* The read-only kernel information page mapped into every process (clock parameters). */
#ifndef ARAMID_INFOPAGE_H_KERNEL
#define ARAMID_INFOPAGE_H_KERNEL

#include <stdint.h>

struct address_space;

/* Fills the page from the clock (call after timer_init). */
void infopage_init(uint64_t tsc_base, uint64_t tsc_per_second);
/* Maps the page read-only at ARAMID_INFO_PAGE_ADDRESS; a space that already has it is fine. */
void infopage_map(struct address_space *space);

#endif
