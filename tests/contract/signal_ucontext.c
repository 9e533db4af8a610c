/* The SA_SIGINFO handler's third argument, a ucontext_t in Linux's layout: REG_RIP at the
 * faulting instruction, registers of the interrupted code, uc_sigmask the mask to go back to,
 * uc_stack; returning applies the handler's changes (registers and mask) as rt_sigreturn does. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* REG_* */
#endif
#include <signal.h>
#include <stdint.h>
#include <ucontext.h>

#include "contract.h"

extern char probe_fault[], probe_resume[];

/* rax = 1, rbx = 2 then an invalid opcode; the handler makes rax 42 and resumes after it. */
__attribute__((noinline, noclone)) static long probe(void)
{
    long result;
    __asm__ volatile("movq $1, %%rax\n\t"
                     "movq $0x1234, %%rbx\n\t"
                     ".globl probe_fault\n"
                     "probe_fault: ud2\n\t"
                     ".globl probe_resume\n"
                     "probe_resume: nop\n\t"
                     : "=a"(result)
                     :
                     : "rbx", "memory");
    return result;
}

static volatile int at_fault, rbx_seen, usr2_in_mask, ill_in_mask, fpregs_there, stack_flags;
static volatile int segv_rip_in_function;
static volatile uintptr_t segv_resume;

static void ill_handler(int n, siginfo_t *info, void *argument)
{
    ucontext_t *context = argument;
    (void)n;
    (void)info;
    greg_t *gregs = context->uc_mcontext.gregs;
    at_fault = gregs[REG_RIP] == (greg_t)(uintptr_t)probe_fault;
    rbx_seen = gregs[REG_RBX] == 0x1234 && gregs[REG_RAX] == 1;
    usr2_in_mask = sigismember(&context->uc_sigmask, SIGUSR2);
    ill_in_mask = sigismember(&context->uc_sigmask, SIGILL);
    fpregs_there = context->uc_mcontext.fpregs != NULL;
    stack_flags = context->uc_stack.ss_flags;
    gregs[REG_RAX] = 42;
    gregs[REG_RIP] = (greg_t)(uintptr_t)probe_resume;
    sigaddset(&context->uc_sigmask, SIGUSR1); /* blocked after the return */
}

__attribute__((noinline, noclone)) static void store_to(volatile int *where)
{
    *where = 1;
}

static void segv_handler(int n, siginfo_t *info, void *argument)
{
    ucontext_t *context = argument;
    (void)n;
    (void)info;
    greg_t rip = context->uc_mcontext.gregs[REG_RIP];
    segv_rip_in_function = rip >= (greg_t)(uintptr_t)store_to &&
                           rip < (greg_t)(uintptr_t)store_to + 64;
    /* Return as store_to would: pop its return address. */
    greg_t *gregs = context->uc_mcontext.gregs;
    uintptr_t *sp = (uintptr_t *)(uintptr_t)gregs[REG_RSP];
    gregs[REG_RIP] = (greg_t)sp[0];
    gregs[REG_RSP] = (greg_t)(uintptr_t)(sp + 1);
    segv_resume = 1;
}

static volatile uintptr_t raise_rsp;

static void usr1_handler(int n, siginfo_t *info, void *argument)
{
    ucontext_t *context = argument;
    (void)n;
    (void)info;
    raise_rsp = (uintptr_t)context->uc_mcontext.gregs[REG_RSP];
}

int main(void)
{
    contract_start();
    struct sigaction action = {.sa_sigaction = ill_handler, .sa_flags = SA_SIGINFO};
    sigemptyset(&action.sa_mask);
    sigaction(SIGILL, &action, NULL);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, NULL);

    long result = probe();
    printf("probe returned %ld\n", result);
    printf("REG_RIP at the faulting instruction: %s\n", at_fault ? "yes" : "no");
    printf("interrupted rax and rbx seen: %s\n", rbx_seen ? "yes" : "no");
    printf("uc_sigmask: SIGUSR2 %s, SIGILL %s\n", usr2_in_mask ? "yes" : "no",
           ill_in_mask ? "yes" : "no");
    printf("fpregs present: %s\n", fpregs_there ? "yes" : "no");
    printf("uc_stack flags: %s\n", stack_flags == SS_DISABLE ? "SS_DISABLE" : "other");
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    printf("after the return: SIGUSR1 %s, SIGUSR2 %s, SIGILL %s\n",
           sigismember(&mask, SIGUSR1) ? "blocked" : "open",
           sigismember(&mask, SIGUSR2) ? "blocked" : "open",
           sigismember(&mask, SIGILL) ? "blocked" : "open");

    struct sigaction segv = {.sa_sigaction = segv_handler, .sa_flags = SA_SIGINFO};
    sigemptyset(&segv.sa_mask);
    sigaction(SIGSEGV, &segv, NULL);
    store_to(contract_address(16));
    printf("SIGSEGV: REG_RIP in the faulting function %s, resumed in its caller %s\n",
           segv_rip_in_function ? "yes" : "no", segv_resume ? "yes" : "no");
    /* raise: the interrupted stack is the caller's, a little below main's locals. */
    struct sigaction usr1 = {.sa_sigaction = usr1_handler, .sa_flags = SA_SIGINFO};
    sigemptyset(&usr1.sa_mask);
    sigaction(SIGUSR1, &usr1, NULL);
    sigprocmask(SIG_SETMASK, &usr1.sa_mask, NULL);
    volatile int local = 0;
    raise(SIGUSR1);
    uintptr_t here = (uintptr_t)&local;
    printf("raise: REG_RSP just below the caller's frame: %s\n",
           raise_rsp != 0 && raise_rsp < here && here - raise_rsp < 65536 ? "yes" : "no");
    return contract_pass();
}
