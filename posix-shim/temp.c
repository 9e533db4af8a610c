/* posix-shim temporary names: mkstemp, mkostemp(s), mkstemps, mkdtemp, mktemp (newlib's build
 * has no mkdir in mkdtemp: every variant is here, so its mktemp.o is never linked). */
#include <errno.h>
#include <fcntl.h>
#include <reent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <unistd.h>

#define TEMP_TRIES 100

static const char temp_letters[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

enum temp_kind { TEMP_FILE, TEMP_DIRECTORY, TEMP_NAME };

/* Fills the six X before suffix bytes with random letters and makes the file or directory (or
 * only checks that nothing has the name); EEXIST tries another name. -> fd, 0, or -1 + errno. */
static int temp_make(char *template, int suffix, int flags, enum temp_kind kind)
{
    size_t length = strlen(template);
    if (suffix < 0 || length < 6 + (size_t)suffix) {
        errno = EINVAL;
        return -1;
    }
    char *x = template + length - suffix - 6;
    if (strncmp(x, "XXXXXX", 6) != 0) {
        errno = EINVAL;
        return -1;
    }
    static unsigned long state;
    for (int attempt = 0; attempt < TEMP_TRIES; attempt++) {
        unsigned long random = 0;
        if (getentropy(&random, sizeof(random)) != 0)
            random = (state += 0x9e3779b97f4a7c15ul) ^ (unsigned long)getpid() << 32;
        for (int i = 0; i < 6; i++, random /= sizeof(temp_letters) - 1)
            x[i] = temp_letters[random % (sizeof(temp_letters) - 1)];
        int result;
        struct stat status;
        if (kind == TEMP_FILE)
            result = open(template, O_RDWR | O_CREAT | O_EXCL | flags, 0600);
        else if (kind == TEMP_DIRECTORY)
            result = mkdir(template, 0700);
        else
            result = stat(template, &status) == 0 ? (errno = EEXIST, -1) : (errno == ENOENT ? 0 : -1);
        if (result >= 0 || errno != EEXIST)
            return result;
    }
    errno = EEXIST;
    return -1;
}

int mkstemp(char *template)
{
    return temp_make(template, 0, 0, TEMP_FILE);
}

int mkstemps(char *template, int suffix)
{
    return temp_make(template, suffix, 0, TEMP_FILE);
}

int mkostemp(char *template, int flags)
{
    return temp_make(template, 0, flags & (O_APPEND | O_CLOEXEC), TEMP_FILE);
}

int mkostemps(char *template, int suffix, int flags)
{
    return temp_make(template, suffix, flags & (O_APPEND | O_CLOEXEC), TEMP_FILE);
}

char *mkdtemp(char *template)
{
    return temp_make(template, 0, 0, TEMP_DIRECTORY) == 0 ? template : NULL;
}

/* Declared deprecated (and dangerous: the name may be taken before it is used), still POSIX. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
char *mktemp(char *template)
{
    if (temp_make(template, 0, 0, TEMP_NAME) != 0)
        template[0] = '\0';
    return template;
}

/* The reentrant spellings newlib's headers declare. */
int _mkstemp_r(struct _reent *reent, char *template)
{
    (void)reent;
    return mkstemp(template);
}

int _mkstemps_r(struct _reent *reent, char *template, int suffix)
{
    (void)reent;
    return mkstemps(template, suffix);
}

int _mkostemp_r(struct _reent *reent, char *template, int flags)
{
    (void)reent;
    return mkostemp(template, flags);
}

int _mkostemps_r(struct _reent *reent, char *template, int suffix, int flags)
{
    (void)reent;
    return mkostemps(template, suffix, flags);
}

char *_mkdtemp_r(struct _reent *reent, char *template)
{
    (void)reent;
    return mkdtemp(template);
}

char *_mktemp_r(struct _reent *reent, char *template)
{
    (void)reent;
    return mktemp(template);
}
