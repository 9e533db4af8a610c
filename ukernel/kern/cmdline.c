/* Kernel command-line parser: splits the multiboot2 command line and checks each value. */
#include "cmdline.h"

#include <stdarg.h>

#include "format.h"

/* Characters of an over-long token quoted in its diagnostic. */
#define CMDLINE_QUOTED_PREFIX 32

/* One token after quote removal; text holds its first CMDLINE_TOKEN_MAX - 1 characters. */
struct cmdline_token {
    char text[CMDLINE_TOKEN_MAX];
    size_t stored;   /* characters in text; equals length unless the token was too long */
    size_t length;   /* characters in the whole token */
    size_t equals;   /* index of the first '=', or length when there is none */
    bool open_quote; /* the line ended inside quotes */
};

/* Parser state shared by the helpers: where diagnostics go and how many were sent. */
struct cmdline_parser {
    void (*report)(void *ctx, const char *message);
    void *ctx;
    size_t problems;
};

__attribute__((format(printf, 2, 3))) static void cmdline_report(struct cmdline_parser *parser,
                                                                 const char *fmt, ...)
{
    char message[CMDLINE_MESSAGE_MAX];
    va_list ap;

    va_start(ap, fmt);
    int length = format_vsnprint(message, sizeof(message), fmt, ap);
    va_end(ap);
    parser->problems++;
    if (parser->report != NULL && length >= 0)
        parser->report(parser->ctx, message);
}

static bool cmdline_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool cmdline_equal(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static size_t cmdline_length(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    return n;
}

/*
 * Reads the token starting at the first non-space character at p into token; returns the position
 * after it, or NULL when only whitespace is left. Never writes beyond token->text.
 */
static const char *cmdline_next_token(const char *p, struct cmdline_token *token)
{
    while (cmdline_is_space(*p))
        p++;
    if (*p == '\0')
        return NULL;

    bool quoted = false;
    token->stored = 0;
    token->length = 0;
    token->equals = SIZE_MAX;
    for (; *p != '\0' && (quoted || !cmdline_is_space(*p)); p++) {
        if (*p == '"') {
            quoted = !quoted;
            continue;
        }
        if (*p == '=' && token->equals == SIZE_MAX)
            token->equals = token->length;
        if (token->stored < CMDLINE_TOKEN_MAX - 1)
            token->text[token->stored++] = *p;
        token->length++;
    }
    token->text[token->stored] = '\0';
    if (token->equals == SIZE_MAX)
        token->equals = token->length;
    token->open_quote = quoted;
    return p;
}

static const struct cmdline_option *cmdline_find_option(const struct cmdline_option *options,
                                                        size_t option_count, const char *name)
{
    for (size_t i = 0; i < option_count; i++) {
        if (options[i].name != NULL && cmdline_equal(options[i].name, name))
            return &options[i];
    }
    return NULL;
}

/* Writes what the option accepts ("1..3600", "pagefault|divide") into buf, always NUL-terminated.
 */
static void cmdline_describe_value(const struct cmdline_option *option, char *buf, size_t size)
{
    switch (option->type) {
    case CMDLINE_U64:
        format_snprint(buf, size, "%llu..%llu", (unsigned long long)option->u64.min,
                       (unsigned long long)option->u64.max);
        break;
    case CMDLINE_STRING:
        format_snprint(buf, size, "at most %zu characters",
                       option->string.size > 0 ? option->string.size - 1 : 0);
        break;
    case CMDLINE_ENUM: {
        size_t used = 0;
        buf[0] = '\0';
        for (size_t i = 0; option->choice.words[i] != NULL && used < size; i++) {
            int n = format_snprint(buf + used, size - used, "%s%s", i > 0 ? "|" : "",
                                   option->choice.words[i]);
            if (n < 0)
                break;
            used += (size_t)n;
        }
        break;
    }
    case CMDLINE_FLAG:
    default:
        format_snprint(buf, size, "no value");
        break;
    }
}

/* Parses a decimal or 0x-prefixed hexadecimal number without overflow; false if malformed. */
static bool cmdline_parse_u64(const char *s, uint64_t *result)
{
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (*s == '\0')
        return false;

    uint64_t value = 0;
    for (; *s != '\0'; s++) {
        unsigned digit;
        if (*s >= '0' && *s <= '9')
            digit = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            digit = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            digit = (unsigned)(*s - 'A' + 10);
        else
            return false;
        if (value > (UINT64_MAX - digit) / base)
            return false;
        value = value * base + digit;
    }
    *result = value;
    return true;
}

/* Checks value against the option's rules and stores it; value is NULL for a bare "key". */
static void cmdline_apply(struct cmdline_parser *parser, const struct cmdline_option *option,
                          const char *value)
{
    char expected[CMDLINE_MESSAGE_MAX / 2];

    if (option->type == CMDLINE_FLAG) {
        if (value != NULL) {
            cmdline_report(parser, "cmdline: flag '%s' takes no value, '%s=%s' ignored",
                           option->name, option->name, value);
            return;
        }
        *option->flag.value = true;
        return;
    }

    cmdline_describe_value(option, expected, sizeof(expected));
    if (value == NULL || value[0] == '\0') {
        cmdline_report(parser, "cmdline: missing value for '%s' (expected %s) ignored",
                       option->name, expected);
        return;
    }

    switch (option->type) {
    case CMDLINE_U64: {
        uint64_t number;
        if (!cmdline_parse_u64(value, &number) || number < option->u64.min ||
            number > option->u64.max)
            break;
        *option->u64.value = number;
        return;
    }
    case CMDLINE_STRING: {
        size_t length = cmdline_length(value);
        if (length >= option->string.size)
            break;
        for (size_t i = 0; i <= length; i++)
            option->string.value[i] = value[i];
        return;
    }
    case CMDLINE_ENUM:
        for (size_t i = 0; option->choice.words[i] != NULL; i++) {
            if (cmdline_equal(option->choice.words[i], value)) {
                *option->choice.value = i;
                return;
            }
        }
        break;
    case CMDLINE_FLAG:
    default:
        break;
    }
    cmdline_report(parser, "cmdline: bad value '%s' for '%s' (expected %s) ignored", value,
                   option->name, expected);
}

/* Handles one token; every way it can be wrong produces exactly one diagnostic. */
static void cmdline_handle_token(struct cmdline_parser *parser,
                                 const struct cmdline_option *options, size_t option_count,
                                 struct cmdline_token *token)
{
    if (token->length > token->stored) {
        cmdline_report(parser, "cmdline: option '%.*s...' longer than %d characters ignored",
                       CMDLINE_QUOTED_PREFIX, token->text, CMDLINE_TOKEN_MAX - 1);
        return;
    }
    if (token->open_quote) {
        cmdline_report(parser, "cmdline: missing closing quote in '%s' ignored", token->text);
        return;
    }
    if (token->length == 0)
        return;
    if (token->equals == 0) {
        cmdline_report(parser, "cmdline: option without a name '%s' ignored", token->text);
        return;
    }

    /* The token fits in text, so equals indexes text and splitting in place is safe. */
    const char *value = NULL;
    if (token->equals < token->length) {
        token->text[token->equals] = '\0';
        value = &token->text[token->equals + 1];
    }
    const struct cmdline_option *option = cmdline_find_option(options, option_count, token->text);
    if (option == NULL) {
        cmdline_report(parser, "cmdline: unknown option '%s' ignored", token->text);
        return;
    }
    cmdline_apply(parser, option, value);
}

size_t cmdline_parse(const char *cmdline, const struct cmdline_option *options, size_t option_count,
                     void (*report)(void *ctx, const char *message), void *ctx)
{
    struct cmdline_parser parser = {.report = report, .ctx = ctx, .problems = 0};
    struct cmdline_token token;

    if (cmdline == NULL)
        return 0;
    const char *p = cmdline;
    while ((p = cmdline_next_token(p, &token)) != NULL)
        cmdline_handle_token(&parser, options, option_count, &token);
    return parser.problems;
}
