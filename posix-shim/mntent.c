/* posix-shim's mount table reader (<mntent.h>): lines "fsname dir type opts freq passno" as in
 * /proc/mounts and /etc/fstab, with glibc's rules: '#' lines and blank lines skipped, octal
 * escapes (\040 for a space) decoded, missing freq/passno read as 0. */
#include <mntent.h>
#include <stdio.h>
#include <string.h>

FILE *setmntent(const char *path, const char *mode)
{
    return fopen(path, mode);
}

int endmntent(FILE *stream)
{
    if (stream != NULL)
        fclose(stream);
    return 1; /* always, as glibc */
}

/* Decodes \ooo escapes in place. */
static void mntent_unescape(char *text)
{
    char *out = text;
    for (char *in = text; *in != '\0'; in++) {
        if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' &&
            in[3] >= '0' && in[3] <= '7') {
            *out++ = (char)(((in[1] - '0') << 6) | ((in[2] - '0') << 3) | (in[3] - '0'));
            in += 3;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
}

/* The next whitespace-separated field of *cursor (NULL at the end of the line). */
static char *mntent_field(char **cursor)
{
    char *start = *cursor + strspn(*cursor, " \t\n");
    if (*start == '\0')
        return NULL;
    char *end = start + strcspn(start, " \t\n");
    if (*end != '\0')
        *end++ = '\0';
    *cursor = end;
    mntent_unescape(start);
    return start;
}

struct mntent *getmntent_r(FILE *stream, struct mntent *entry, char *buffer, int size)
{
    while (fgets(buffer, size, stream) != NULL) {
        char *cursor = buffer + strspn(buffer, " \t");
        if (*cursor == '#' || *cursor == '\n' || *cursor == '\0')
            continue;
        char *fields[6] = {NULL};
        for (int i = 0; i < 6; i++)
            fields[i] = mntent_field(&cursor);
        if (fields[0] == NULL || fields[1] == NULL)
            continue;
        entry->mnt_fsname = fields[0];
        entry->mnt_dir = fields[1];
        entry->mnt_type = fields[2] != NULL ? fields[2] : "";
        entry->mnt_opts = fields[3] != NULL ? fields[3] : "";
        entry->mnt_freq = 0;
        entry->mnt_passno = 0;
        if (fields[4] != NULL)
            sscanf(fields[4], "%d", &entry->mnt_freq);
        if (fields[5] != NULL)
            sscanf(fields[5], "%d", &entry->mnt_passno);
        return entry;
    }
    return NULL;
}

struct mntent *getmntent(FILE *stream)
{
    static struct mntent entry;
    static char buffer[4096];
    return getmntent_r(stream, &entry, buffer, (int)sizeof buffer);
}

/* Writes one line, spaces, tabs, newlines and backslashes escaped as \ooo. 0, or 1 on error. */
static int mntent_put(FILE *stream, const char *text)
{
    for (; *text != '\0'; text++) {
        if (strchr(" \t\n\\", *text) != NULL) {
            if (fprintf(stream, "\\%03o", (unsigned char)*text) < 0)
                return 1;
        } else if (fputc(*text, stream) == EOF) {
            return 1;
        }
    }
    return 0;
}

int addmntent(FILE *stream, const struct mntent *entry)
{
    if (fseek(stream, 0, SEEK_END) < 0)
        return 1;
    if (mntent_put(stream, entry->mnt_fsname) || fputc(' ', stream) == EOF ||
        mntent_put(stream, entry->mnt_dir) || fputc(' ', stream) == EOF ||
        mntent_put(stream, entry->mnt_type) || fputc(' ', stream) == EOF ||
        mntent_put(stream, entry->mnt_opts))
        return 1;
    return fprintf(stream, " %d %d\n", entry->mnt_freq, entry->mnt_passno) < 0 ? 1 : 0;
}

/* The option in the comma-separated mnt_opts: exactly opt, or opt=value. */
char *hasmntopt(const struct mntent *entry, const char *option)
{
    size_t length = strlen(option);
    char *options = entry->mnt_opts;
    for (char *at = options; at != NULL && *at != '\0';) {
        if (strncmp(at, option, length) == 0 && (at[length] == ',' || at[length] == '=' ||
                                                  at[length] == '\0'))
            return at;
        at = strchr(at, ',');
        if (at != NULL)
            at++;
    }
    return NULL;
}
