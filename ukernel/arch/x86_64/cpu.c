/* CPUID feature detection for the boot banner and for choosing PCID/INVPCID/XSAVE paths. */
#include <stdint.h>

#include "cpu.h"

struct cpu_features cpu_features;

static void store_register_chars(char *dest, uint32_t value)
{
    for (int i = 0; i < 4; i++)
        dest[i] = (char)(value >> (8 * i));
}

void cpu_detect_features(void)
{
    struct cpu_features *f = &cpu_features;
    uint32_t a, b, c, d, max_leaf, max_extended;

    cpuid(0, 0, &max_leaf, &b, &c, &d);
    store_register_chars(f->vendor, b);
    store_register_chars(f->vendor + 4, d);
    store_register_chars(f->vendor + 8, c);
    f->vendor[12] = '\0';

    cpuid(1, 0, &a, &b, &c, &d);
    f->pcid = c & (1u << 17);
    f->x2apic = c & (1u << 21);
    f->tsc_deadline = c & (1u << 24);
    f->xsave = c & (1u << 26);
    f->apic = d & (1u << 9);
    f->fxsr = d & (1u << 24);

    if (max_leaf >= 7) {
        cpuid(7, 0, &a, &b, &c, &d);
        f->smep = b & (1u << 7);
        f->invpcid = b & (1u << 10);
        f->smap = b & (1u << 20);
    }

    cpuid(0x80000000, 0, &max_extended, &b, &c, &d);
    if (max_extended >= 0x80000001) {
        cpuid(0x80000001, 0, &a, &b, &c, &d);
        f->nx = d & (1u << 20);
        f->page_1gb = d & (1u << 26);
    }
    if (max_extended >= 0x80000004) {
        for (uint32_t i = 0; i < 3; i++) {
            cpuid(0x80000002 + i, 0, &a, &b, &c, &d);
            store_register_chars(f->brand + 16 * i, a);
            store_register_chars(f->brand + 16 * i + 4, b);
            store_register_chars(f->brand + 16 * i + 8, c);
            store_register_chars(f->brand + 16 * i + 12, d);
        }
    }
    f->brand[48] = '\0';
    if (max_extended >= 0x80000007) {
        cpuid(0x80000007, 0, &a, &b, &c, &d);
        f->invariant_tsc = d & (1u << 8);
    }
}
