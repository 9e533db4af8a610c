/* posix-shim program arguments: the NAME.args boot module aramid-run writes (docs/sdk.md). */
#ifndef POSIX_SHIM_ARGS_H
#define POSIX_SHIM_ARGS_H

#include <stddef.h>

#define ARGS_MAGIC "aramid-args-1"

/* argv and envp are NULL-terminated arrays into the parsed bytes; token is the run's marker
 * token (aramid-run's output separation), never empty. */
struct args_parsed {
    int argc;
    char **argv;
    char **envp;
    const char *token;
};

/*
 * Parses bytes[0, size): NUL-terminated strings ARGS_MAGIC, token, argc in decimal, argc
 * arguments, envc in decimal, envc environment strings, and nothing after. vector needs
 * size + 2 slots (each string takes at least one byte). Pure: no system calls, host-testable.
 * Returns 0, or -1 for malformed bytes (out is then unspecified).
 */
int args_parse(char *bytes, size_t size, char **vector, size_t slots, struct args_parsed *out);

#endif
