/* Console output: one large write of many lines comes out whole and reports its full length. */
#include "contract.h"

int main(void)
{
    contract_start();
    static char text[200 * 64];
    size_t length = 0;
    for (int line = 0; line < 200; line++) {
        int n = snprintf(text + length, sizeof text - length, "line %03d ", line);
        length += (size_t)n;
        while (length % 64 != 63)
            text[length++] = (char)('a' + line % 26);
        text[length++] = '\n';
    }
    long written = write(1, text, length);
    printf("wrote %ld of %zu bytes\n", written, length);
    return contract_pass();
}
