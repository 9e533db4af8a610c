/* init's reading of the kernel command line: `run=NAME [ARGS...]`. Pure logic, host-tested. */
#ifndef INIT_CMDLINE_H
#define INIT_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Finds the word run=NAME in cmdline (words are separated by spaces) and makes argv: NAME, then
 * every word after it, NULL-terminated, copied into storage (size bytes). Words before run= are
 * the kernel's. Returns argc (>= 1), -ENOENT without run= (or with an empty NAME), or -E2BIG
 * when storage or argv (argv_max slots, the NULL included) is too small.
 */
long init_cmdline_parse(const char *cmdline, char *storage, size_t size, char **argv,
                        size_t argv_max);

/* The value of the kernel's word NAME=DECIMAL (name includes the '='), before run=; fallback
 * when there is none or it is not a number. */
unsigned long init_cmdline_number(const char *cmdline, const char *name, unsigned long fallback);

/* Copies the value of the kernel's word NAME=VALUE (before run=) into out as a string; false
 * when there is none or it does not fit in size bytes (the NUL included). */
bool init_cmdline_word(const char *cmdline, const char *name, char *out, size_t size);

#endif
