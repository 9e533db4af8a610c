/* Memory quotas: pages a process may have charged (its anonymous mappings and memory objects,
 * the page tables and kernel heap of its mappings, its threads' kernel stacks). */
#ifndef ARAMID_QUOTA_H
#define ARAMID_QUOTA_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A quota is charged when memory is promised (a mapping or object is made, a space cloned),
 * not when it is touched, so a fault never runs out of a process's quota (Linux's strict
 * overcommit accounting). used never exceeds limit after a charge (quota_charge_over aside:
 * at most two regions' charge per call); limit may be lowered below used, which only makes
 * later charges fail. A NULL quota is unlimited (the root task, and
 * processes with the creation authority: proc and the servers it trusts). Shared by reference:
 * every space and object charged to it holds one. Locking: one CPU, interrupts off.
 */
struct quota {
    uint32_t refcount;
    uint64_t used;  /* pages */
    uint64_t limit; /* pages */
    /* Kernel heap of small objects charged by the byte (endpoints, notifications): used holds
     * it rounded up to whole pages. */
    uint64_t object_bytes;
};

/* A quota of limit pages, refcount 1, nothing used; NULL when out of memory. */
struct quota *quota_create(uint64_t limit);
void quota_get(struct quota *quota);  /* NULL is fine */
void quota_put(struct quota *quota);  /* NULL is fine */
/* Charges pages: 0, or -ENOMEM (nothing charged) when they would pass the limit. */
int quota_charge(struct quota *quota, uint64_t pages);
void quota_uncharge(struct quota *quota, uint64_t pages);
/* Whether quota_charge of pages would succeed now. */
bool quota_fits(const struct quota *quota, uint64_t pages);
/* Charges bytes of kernel heap for a small object: used grows by the pages the running byte
 * total crosses into. 0, or -ENOMEM (nothing charged) past the limit. */
int quota_charge_bytes(struct quota *quota, uint64_t bytes);
void quota_uncharge_bytes(struct quota *quota, uint64_t bytes);
/* Charges pages even past the limit: for the few pages a call that frees memory may add (the
 * regions an unmap or protect splits off), which must not fail. */
void quota_charge_over(struct quota *quota, uint64_t pages);

#endif
