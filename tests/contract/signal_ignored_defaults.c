/* Signals: SIGCHLD, SIGURG and SIGWINCH sent to oneself with the default action are ignored. */
#include "contract.h"

int main(void)
{
    contract_start();
    contract_result("kill(self, SIGCHLD)", (long)kill(getpid(), SIGCHLD));
    contract_result("kill(self, SIGURG)", (long)kill(getpid(), SIGURG));
    contract_result("kill(self, SIGWINCH)", (long)kill(getpid(), SIGWINCH));
    contract_result("raise(SIGCHLD)", (long)raise(SIGCHLD));
    contract_result("kill(self, 0)", (long)kill(getpid(), 0));
    printf("alive\n");
    return contract_pass();
}
