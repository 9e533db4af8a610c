/* Resource limits of a process (getrlimit, setrlimit, prlimit): their rules. Pure logic. */
#ifndef PROC_RLIMIT_H
#define PROC_RLIMIT_H

#include <stdbool.h>
#include <stddef.h>

#include <aramid/proto/proc.h>

/* Invariant: soft[r] <= hard[r] for every resource r (ARAMID_RLIM_INFINITY is the largest). */
struct proc_rlimits {
    unsigned long soft[ARAMID_RLIMIT_COUNT];
    unsigned long hard[ARAMID_RLIMIT_COUNT];
};

/* The limits of a process made from nothing (init): Linux's usual defaults (STACK 8 MiB soft,
 * CORE 0 soft, NOFILE 1024, NPROC the table size), the rest unlimited. */
void proc_rlimits_default(struct proc_rlimits *limits);
/* A new process's limits: its parent's (fork, spawn), or the defaults when parent is NULL.
 * proc_table_add gives every new entry the defaults; fork and spawn copy the parent's. */
void proc_rlimits_inherit(struct proc_rlimits *limits, const struct proc_rlimits *parent);
/* Linux's checks of a new limit: -EINVAL for a resource outside 0..15 or soft > hard, -EPERM
 * for NOFILE's hard limit above ARAMID_RLIMIT_NOFILE_MAX (Linux's nr_open; otherwise the one
 * user is root and may raise hard limits). 0: stored. */
long proc_rlimits_set(struct proc_rlimits *limits, long resource, unsigned long soft,
                      unsigned long hard);
/* -EINVAL for a resource outside 0..15, else 0 with the limit in *soft, *hard. */
long proc_rlimits_get(const struct proc_rlimits *limits, long resource, unsigned long *soft,
                      unsigned long *hard);
struct proc_table;
struct proc_entry;
/* Whose limits caller may change: its own and its descendants' (stricter than Linux's root,
 * which may change anyone's: so a hostile program cannot starve init, its parent or siblings). */
bool proc_rlimits_may_set(struct proc_table *table, const struct proc_entry *caller,
                          const struct proc_entry *target);
/* RLIMIT_NPROC: may a process with these limits make one more when processes exist already? */
bool proc_rlimits_allow_process(const struct proc_rlimits *limits, size_t processes);
/* The kernel memory quota in pages that AS and DATA ask for (the smaller soft limit, rounded
 * down to pages), or unlimited_pages when neither is set. */
unsigned long proc_rlimits_quota_pages(const struct proc_rlimits *limits,
                                       unsigned long unlimited_pages);

#endif
