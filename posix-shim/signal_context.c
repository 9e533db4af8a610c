/* posix-shim signal contexts: the ucontext_t an SA_SIGINFO handler gets (Linux's layout, with
 * the interrupted registers from the upcall frame, changes applied on return as rt_sigreturn
 * does), and sigsetjmp's mask and siglongjmp. */
#define _GNU_SOURCE /* REG_* */
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include <aramid/sys.h>

#include "pthread_internal.h"
#include "shim.h"

/* setjmp.S: the caller's callee-saved registers, rsp and rip into gregs. */
void signal_context_capture(greg_t *gregs);
/* setjmp.S: longjmp's register restore (value 0 becomes 1). */
__attribute__((noreturn)) void signal_jump_registers(sigjmp_buf env, int value);


#define JUMP_SAVEMASK 8
#define JUMP_MASK 9
#define JUMP_UPCALL 10
/* The RFLAGS bits and selectors Linux reports (user code and stack segments, fs = gs = 0). */
#define CONTEXT_CSGSFS (0x33ull | (0x2bull << 48))

static void signal_context_from_frame(gregset_t gregs, const struct aramid_upcall_frame *frame)
{
    gregs[REG_R8] = (greg_t)frame->r8;
    gregs[REG_R9] = (greg_t)frame->r9;
    gregs[REG_R10] = (greg_t)frame->r10;
    gregs[REG_R11] = (greg_t)frame->r11;
    gregs[REG_R12] = (greg_t)frame->r12;
    gregs[REG_R13] = (greg_t)frame->r13;
    gregs[REG_R14] = (greg_t)frame->r14;
    gregs[REG_R15] = (greg_t)frame->r15;
    gregs[REG_RDI] = (greg_t)frame->rdi;
    gregs[REG_RSI] = (greg_t)frame->rsi;
    gregs[REG_RBP] = (greg_t)frame->rbp;
    gregs[REG_RBX] = (greg_t)frame->rbx;
    gregs[REG_RDX] = (greg_t)frame->rdx;
    gregs[REG_RAX] = (greg_t)frame->rax;
    gregs[REG_RCX] = (greg_t)frame->rcx;
    gregs[REG_RSP] = (greg_t)frame->rsp;
    gregs[REG_RIP] = (greg_t)frame->rip;
    gregs[REG_EFL] = (greg_t)frame->rflags;
    gregs[REG_CSGSFS] = (greg_t)CONTEXT_CSGSFS;
    gregs[REG_ERR] = (greg_t)frame->fault_code;
    gregs[REG_TRAPNO] = frame->fault_signal == SIGSEGV ? 14 : 0; /* page faults: #PF */
    gregs[REG_CR2] = (greg_t)frame->fault_address;
}

/* The handler's changes go back into the frame upcall_return restores (which checks RIP and
 * RSP and keeps RFLAGS to the bits user code may set). */
static void signal_context_to_frame(struct aramid_upcall_frame *frame, const gregset_t gregs)
{
    frame->r8 = (unsigned long)gregs[REG_R8];
    frame->r9 = (unsigned long)gregs[REG_R9];
    frame->r10 = (unsigned long)gregs[REG_R10];
    frame->r11 = (unsigned long)gregs[REG_R11];
    frame->r12 = (unsigned long)gregs[REG_R12];
    frame->r13 = (unsigned long)gregs[REG_R13];
    frame->r14 = (unsigned long)gregs[REG_R14];
    frame->r15 = (unsigned long)gregs[REG_R15];
    frame->rdi = (unsigned long)gregs[REG_RDI];
    frame->rsi = (unsigned long)gregs[REG_RSI];
    frame->rbp = (unsigned long)gregs[REG_RBP];
    frame->rbx = (unsigned long)gregs[REG_RBX];
    frame->rdx = (unsigned long)gregs[REG_RDX];
    frame->rax = (unsigned long)gregs[REG_RAX];
    frame->rcx = (unsigned long)gregs[REG_RCX];
    frame->rsp = (unsigned long)gregs[REG_RSP];
    frame->rip = (unsigned long)gregs[REG_RIP];
    frame->rflags = (unsigned long)gregs[REG_EFL];
}

unsigned long signal_context_run(int n, const struct sigaction *action, siginfo_t *info,
                                 unsigned long saved)
{
    struct shim_thread *self = shim_thread_self();
    struct aramid_upcall_frame *frame = self->upcall_frame;
    ucontext_t context;
    memset(&context, 0, sizeof(context));
    context.uc_sigmask = saved;
    if (frame != NULL) {
        signal_context_from_frame(context.uc_mcontext.gregs, frame);
        context.uc_mcontext.fpregs =
            (fpregset_t)((char *)frame - ARAMID_UPCALL_FXSAVE_OFFSET);
    } else {
        signal_context_capture(context.uc_mcontext.gregs);
        context.uc_mcontext.fpregs = &context.__fpregs_mem;
    }
    sigaltstack_describe(self, (unsigned long)context.uc_mcontext.gregs[REG_RSP],
                         &context.uc_stack);
    /* Signals raised by the handler itself come without an upcall: not this frame. */
    self->upcall_frame = NULL;
    action->sa_sigaction(n, info, &context);
    self->upcall_frame = frame;
    if (frame != NULL)
        signal_context_to_frame(frame, context.uc_mcontext.gregs);
    return context.uc_sigmask;
}

/* sigsetjmp's second half (setjmp.S saved the registers): returns sigsetjmp's first 0. The
 * upcall in progress comes along: a jump out of a handler leaves the upcalls it interrupted,
 * whose frames must not be taken for the ucontext_t of a later handler. */
int signal_jump_save(sigjmp_buf env, int savemask)
{
    struct shim_thread *self = shim_thread_self();
    env[JUMP_SAVEMASK] = savemask;
    if (savemask)
        env[JUMP_MASK] = (long long)self->signals_blocked;
    env[JUMP_UPCALL] = (long long)(uintptr_t)self->upcall_frame;
    return 0;
}

void longjmp(jmp_buf env, int value)
{
    struct aramid_upcall_frame *upcall = (struct aramid_upcall_frame *)(uintptr_t)env[JUMP_UPCALL];
    shim_thread_self()->upcall_frame = upcall;
    signal_jump_registers(env, value);
}

void _longjmp(jmp_buf env, int value)
{
    longjmp(env, value);
}

void siglongjmp(sigjmp_buf env, int value)
{
    if (env[JUMP_SAVEMASK]) {
        sigset_t mask = (sigset_t)env[JUMP_MASK];
        (void)sigprocmask(SIG_SETMASK, &mask, NULL);
    }
    longjmp(env, value);
}
