/* Contract tests' memory touches that survive a fault: a handler siglongjmps back, the touch
 * says which signal stopped it (SIGBUS past a file's end, SIGSEGV). */
#ifndef CONTRACT_FAULT_H
#define CONTRACT_FAULT_H

#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static sigjmp_buf contract_fault_jump;

static void contract_fault_handler(int n)
{
    siglongjmp(contract_fault_jump, n);
}

/* SIGBUS and SIGSEGV come back to the touch that caused them. */
static inline void contract_fault_catch(void)
{
    struct sigaction action = {0};
    action.sa_handler = contract_fault_handler;
    sigaction(SIGBUS, &action, NULL);
    sigaction(SIGSEGV, &action, NULL);
}

/* Reads the byte at address: "read C" ("read 0" for a zero), or the signal that stopped it. */
static inline const char *contract_peek(volatile char *address)
{
    static char text[16];
    int n = sigsetjmp(contract_fault_jump, 1);
    if (n != 0)
        return signal_name(n);
    char value = *address;
    snprintf(text, sizeof(text), "read %c", value == 0 ? '0' : value);
    return text;
}

/* Writes value at address and reads it back: "ok", or the signal that stopped it. */
static inline const char *contract_poke(volatile char *address, char value)
{
    int n = sigsetjmp(contract_fault_jump, 1);
    if (n != 0)
        return signal_name(n);
    *address = value;
    return *address == value ? "ok" : "lost";
}

#endif
