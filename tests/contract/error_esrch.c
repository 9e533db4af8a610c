/* Errors: signals to a pid that cannot exist fail with ESRCH; signal 0 probes ourselves. */
#include "contract.h"

int main(void)
{
    contract_start();
    pid_t absent = 0x7ffffff0; /* above any pid_max */
    contract_result("kill(absent, 0)", (long)kill(absent, 0));
    contract_result("kill(absent, SIGTERM)", (long)kill(absent, SIGTERM));
    contract_result("kill(self, 0)", (long)kill(getpid(), 0));
    return contract_pass();
}
