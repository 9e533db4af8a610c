/* Deliberate kernel faults for the system tests (kernel command line fault=KIND). */
#ifndef ARAMID_FAULT_INJECT_H
#define ARAMID_FAULT_INJECT_H

enum fault_kind {
    FAULT_NONE,
    FAULT_PAGE_FAULT,
    FAULT_DIVIDE,
    FAULT_INVALID_OPCODE,
    FAULT_GENERAL_PROTECTION,
};

/* Words for the command line, indexed by enum fault_kind, NULL-terminated. */
extern const char *const fault_kind_names[];

void fault_inject(enum fault_kind kind);

#endif
