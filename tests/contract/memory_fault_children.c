/* Memory: children that fault (NULL, write to text, PROT_NONE, undefined instruction) die by signal. */
#include <sys/mman.h>

#include "contract.h"

static void fault_null(void)
{
    volatile int *p = NULL;
    *p = 1;
}

static void fault_text(void)
{
    volatile unsigned char *p = (volatile unsigned char *)(uintptr_t)&fault_text;
    *p = 0x90;
}

static void fault_prot_none(void)
{
    volatile unsigned char *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    (void)p[0];
}

static void fault_undefined(void)
{
    __asm__ volatile("ud2");
}

int main(void)
{
    contract_start();
    struct {
        const char *name;
        void (*fault)(void);
    } cases[] = {{"NULL write", fault_null},
                 {"write to text", fault_text},
                 {"PROT_NONE read", fault_prot_none},
                 {"ud2", fault_undefined}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pid_t child = contract_fork();
        if (child == 0) {
            cases[i].fault();
            _exit(0);
        }
        contract_reap(cases[i].name, child);
    }
    return contract_pass();
}
