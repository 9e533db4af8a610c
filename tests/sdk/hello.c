/* SDK test: newlib basics through aramid-cc and aramid-run (printf, malloc, qsort, strtod, argv).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    printf("hello, aramid\n");
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);

    int count = 1000;
    int *numbers = malloc(count * sizeof(*numbers));
    if (numbers == NULL) {
        perror("malloc");
        return 1;
    }
    for (int i = 0; i < count; i++)
        numbers[i] = (i * 7919) % count;
    qsort(numbers, count, sizeof(*numbers), compare_ints);
    for (int i = 0; i < count; i++) {
        if (numbers[i] != i) {
            printf("qsort: numbers[%d] = %d\n", i, numbers[i]);
            return 1;
        }
    }
    free(numbers);
    printf("qsort: %d numbers sorted\n", count);

    char *end;
    double value = strtod("3.14159e2xyz", &end);
    char text[64];
    snprintf(text, sizeof(text), "%.3f %e %g", value, value, value / 1000);
    printf("strtod: %s rest '%s'\n", text, end);
    long double wide = 1.0L / 3;
    printf("long double: %.10Lf\n", wide);
    fprintf(stderr, "stderr works\n");
    return strcmp(text, "314.159 3.141590e+02 0.314159") == 0 ? 0 : 1;
}
