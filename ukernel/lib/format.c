/* Kernel printf engine: parses conversions, emits integers, strings and characters. */
#include "format.h"

#include <stdbool.h>
#include <stdint.h>

/* The signed value of %zd is read as ptrdiff_t, the signed type of size_t's width. */
_Static_assert(sizeof(ptrdiff_t) == sizeof(size_t), "%zd needs a signed type as wide as size_t");
_Static_assert(sizeof(long long) == sizeof(int64_t), "ll values must fit the 64-bit formatter");
_Static_assert(sizeof(void *) <= sizeof(uint64_t), "pointers must fit the 64-bit formatter");

/* Widths, precisions and the returned count never exceed this (int is 32 bits on every target). */
#define FORMAT_COUNT_MAX INT32_MAX

/* Digits of the widest number: 2^64 - 1 in octal has 22. */
#define FORMAT_DIGITS_MAX 24

/* Digits %p always shows: a full 64-bit address. */
#define FORMAT_POINTER_DIGITS 16

enum format_flag {
    FORMAT_FLAG_LEFT = 1u << 0,  /* '-': pad on the right */
    FORMAT_FLAG_ZERO = 1u << 1,  /* '0': pad numbers with zeros after the sign and prefix */
    FORMAT_FLAG_PLUS = 1u << 2,  /* '+': signed conversions always show a sign */
    FORMAT_FLAG_SPACE = 1u << 3, /* ' ': signed conversions show a space instead of '+' */
    FORMAT_FLAG_ALT = 1u << 4,   /* '#': 0x/0X prefix for %x/%X, leading 0 for %o */
};

enum format_length {
    FORMAT_LENGTH_INT,
    FORMAT_LENGTH_CHAR,      /* hh */
    FORMAT_LENGTH_SHORT,     /* h */
    FORMAT_LENGTH_LONG,      /* l */
    FORMAT_LENGTH_LONG_LONG, /* ll */
    FORMAT_LENGTH_SIZE,      /* z */
};

/* One parsed conversion specification; width and precision are in 0..FORMAT_COUNT_MAX. */
struct format_spec {
    unsigned flags;
    bool width_from_argument;
    int width;
    bool precision_given;
    bool precision_from_argument;
    int precision;
    enum format_length length;
    char conversion;
};

/* Where characters go; count is every character produced, saturated at FORMAT_COUNT_MAX. */
struct format_sink {
    void (*emit)(void *ctx, char c);
    void *ctx;
    size_t count;
};

/* Target of format_vsnprint; used may exceed size, only the first size - 1 characters are stored.
 */
struct format_buffer {
    char *buf;
    size_t size;
    size_t used;
};

static void format_put_char(struct format_sink *sink, char c)
{
    sink->emit(sink->ctx, c);
    if (sink->count < FORMAT_COUNT_MAX)
        sink->count++;
}

static void format_put_repeated(struct format_sink *sink, char c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        format_put_char(sink, c);
}

static void format_put_chars(struct format_sink *sink, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        format_put_char(sink, s[i]);
}

/* Parses a decimal field at *p, saturating at FORMAT_COUNT_MAX so huge widths cannot overflow. */
static int format_parse_number(const char **p)
{
    int value = 0;
    while (**p >= '0' && **p <= '9') {
        int digit = **p - '0';
        if (value > (FORMAT_COUNT_MAX - digit) / 10)
            value = FORMAT_COUNT_MAX;
        else
            value = value * 10 + digit;
        (*p)++;
    }
    return value;
}

/* Parses everything after '%' up to and including the conversion character; *p ends past it. */
static void format_parse_spec(const char **p, struct format_spec *spec)
{
    *spec = (struct format_spec){0};
    for (;; (*p)++) {
        if (**p == '-')
            spec->flags |= FORMAT_FLAG_LEFT;
        else if (**p == '0')
            spec->flags |= FORMAT_FLAG_ZERO;
        else if (**p == '+')
            spec->flags |= FORMAT_FLAG_PLUS;
        else if (**p == ' ')
            spec->flags |= FORMAT_FLAG_SPACE;
        else if (**p == '#')
            spec->flags |= FORMAT_FLAG_ALT;
        else
            break;
    }
    if (**p == '*') {
        spec->width_from_argument = true;
        (*p)++;
    } else {
        spec->width = format_parse_number(p);
    }
    if (**p == '.') {
        spec->precision_given = true;
        (*p)++;
        if (**p == '*') {
            spec->precision_from_argument = true;
            (*p)++;
        } else {
            spec->precision = format_parse_number(p);
        }
    }
    if (**p == 'h') {
        (*p)++;
        spec->length = FORMAT_LENGTH_SHORT;
        if (**p == 'h') {
            (*p)++;
            spec->length = FORMAT_LENGTH_CHAR;
        }
    } else if (**p == 'l') {
        (*p)++;
        spec->length = FORMAT_LENGTH_LONG;
        if (**p == 'l') {
            (*p)++;
            spec->length = FORMAT_LENGTH_LONG_LONG;
        }
    } else if (**p == 'z') {
        (*p)++;
        spec->length = FORMAT_LENGTH_SIZE;
    }
    /* The NUL of an incomplete specification is not consumed, so the caller stops there. */
    spec->conversion = **p;
    if (**p != '\0')
        (*p)++;
}

static bool format_is_known_conversion(char c)
{
    switch (c) {
    case 'd':
    case 'i':
    case 'u':
    case 'x':
    case 'X':
    case 'o':
    case 'p':
    case 's':
    case 'c':
    case '%':
        return true;
    default:
        return false;
    }
}

/* Reads the '*' arguments; a negative width means '-', a negative precision means none given. */
static void format_fetch_star_arguments(struct format_spec *spec, va_list *ap)
{
    if (spec->width_from_argument) {
        int width = va_arg(*ap, int);
        if (width < 0) {
            spec->flags |= FORMAT_FLAG_LEFT;
            /* -(INT_MIN) does not fit in int: compute the magnitude unsigned and saturate. */
            unsigned magnitude = 0u - (unsigned)width;
            width = magnitude > FORMAT_COUNT_MAX ? FORMAT_COUNT_MAX : (int)magnitude;
        }
        spec->width = width;
    }
    if (spec->precision_from_argument) {
        int precision = va_arg(*ap, int);
        if (precision < 0)
            spec->precision_given = false;
        else
            spec->precision = precision;
    }
}

static int64_t format_fetch_signed(const struct format_spec *spec, va_list *ap)
{
    switch (spec->length) {
    case FORMAT_LENGTH_CHAR:
        return (signed char)va_arg(*ap, int);
    case FORMAT_LENGTH_SHORT:
        return (short)va_arg(*ap, int);
    case FORMAT_LENGTH_LONG:
        return va_arg(*ap, long);
    case FORMAT_LENGTH_LONG_LONG:
        return va_arg(*ap, long long);
    case FORMAT_LENGTH_SIZE:
        return va_arg(*ap, ptrdiff_t);
    case FORMAT_LENGTH_INT:
    default:
        return va_arg(*ap, int);
    }
}

static uint64_t format_fetch_unsigned(const struct format_spec *spec, va_list *ap)
{
    switch (spec->length) {
    case FORMAT_LENGTH_CHAR:
        return (unsigned char)va_arg(*ap, unsigned);
    case FORMAT_LENGTH_SHORT:
        return (unsigned short)va_arg(*ap, unsigned);
    case FORMAT_LENGTH_LONG:
        return va_arg(*ap, unsigned long);
    case FORMAT_LENGTH_LONG_LONG:
        return va_arg(*ap, unsigned long long);
    case FORMAT_LENGTH_SIZE:
        return va_arg(*ap, size_t);
    case FORMAT_LENGTH_INT:
    default:
        return va_arg(*ap, unsigned);
    }
}

/* Emits width - used padding characters (none if used already fills the field). */
static void format_put_padding(struct format_sink *sink, const struct format_spec *spec,
                               size_t used)
{
    size_t width = (size_t)spec->width;
    if (width > used)
        format_put_repeated(sink, ' ', width - used);
}

/*
 * Emits one integer as [spaces][sign or prefix][zeros][digits][spaces]. magnitude is the
 * absolute value; the sign comes from negative so INT64_MIN needs no negation in signed types.
 */
static void format_put_integer(struct format_sink *sink, const struct format_spec *spec,
                               uint64_t magnitude, bool negative, unsigned base)
{
    const char *digit_set = spec->conversion == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[FORMAT_DIGITS_MAX];
    size_t digit_count = 0;
    bool is_zero = magnitude == 0;

    /* C: precision 0 with value 0 produces no digits. */
    if (magnitude != 0 || !spec->precision_given || spec->precision != 0) {
        do {
            digits[digit_count++] = digit_set[magnitude % base];
            magnitude /= base;
        } while (magnitude != 0);
    }

    size_t precision = spec->precision_given ? (size_t)spec->precision : 1;
    if (spec->conversion == 'p')
        precision = FORMAT_POINTER_DIGITS;
    /* '#' with %o raises the precision just enough for the first digit to be 0. */
    if (spec->conversion == 'o' && (spec->flags & FORMAT_FLAG_ALT) &&
        (digit_count == 0 || digits[digit_count - 1] != '0') && precision <= digit_count)
        precision = digit_count + 1;

    char prefix[2];
    size_t prefix_length = 0;
    if (spec->conversion == 'd' || spec->conversion == 'i') {
        if (negative)
            prefix[prefix_length++] = '-';
        else if (spec->flags & FORMAT_FLAG_PLUS)
            prefix[prefix_length++] = '+';
        else if (spec->flags & FORMAT_FLAG_SPACE)
            prefix[prefix_length++] = ' ';
    } else if (spec->conversion == 'p' || ((spec->conversion == 'x' || spec->conversion == 'X') &&
                                           (spec->flags & FORMAT_FLAG_ALT) && !is_zero)) {
        prefix[prefix_length++] = '0';
        prefix[prefix_length++] = spec->conversion == 'X' ? 'X' : 'x';
    }

    size_t zeros = precision > digit_count ? precision - digit_count : 0;
    size_t used = prefix_length + zeros + digit_count;
    /* '0' pads with zeros only when neither '-' nor a precision is given. */
    if ((spec->flags & FORMAT_FLAG_ZERO) && !(spec->flags & FORMAT_FLAG_LEFT) &&
        !spec->precision_given && spec->conversion != 'p' && (size_t)spec->width > used) {
        zeros += (size_t)spec->width - used;
        used = (size_t)spec->width;
    }

    if (!(spec->flags & FORMAT_FLAG_LEFT))
        format_put_padding(sink, spec, used);
    format_put_chars(sink, prefix, prefix_length);
    format_put_repeated(sink, '0', zeros);
    while (digit_count > 0)
        format_put_char(sink, digits[--digit_count]);
    if (spec->flags & FORMAT_FLAG_LEFT)
        format_put_padding(sink, spec, used);
}

/* Emits n characters of s within the field; never reads s beyond n characters. */
static void format_put_field(struct format_sink *sink, const struct format_spec *spec,
                             const char *s, size_t n)
{
    if (!(spec->flags & FORMAT_FLAG_LEFT))
        format_put_padding(sink, spec, n);
    format_put_chars(sink, s, n);
    if (spec->flags & FORMAT_FLAG_LEFT)
        format_put_padding(sink, spec, n);
}

/* Performs one known conversion, reading exactly the arguments it needs. */
static void format_convert(struct format_sink *sink, struct format_spec *spec, va_list *ap)
{
    format_fetch_star_arguments(spec, ap);
    switch (spec->conversion) {
    case 'd':
    case 'i': {
        int64_t value = format_fetch_signed(spec, ap);
        uint64_t magnitude = value < 0 ? 0u - (uint64_t)value : (uint64_t)value;
        format_put_integer(sink, spec, magnitude, value < 0, 10);
        break;
    }
    case 'u':
        format_put_integer(sink, spec, format_fetch_unsigned(spec, ap), false, 10);
        break;
    case 'x':
    case 'X':
        format_put_integer(sink, spec, format_fetch_unsigned(spec, ap), false, 16);
        break;
    case 'o':
        format_put_integer(sink, spec, format_fetch_unsigned(spec, ap), false, 8);
        break;
    case 'p':
        format_put_integer(sink, spec, (uint64_t)(uintptr_t)va_arg(*ap, void *), false, 16);
        break;
    case 's': {
        const char *s = va_arg(*ap, const char *);
        if (s == NULL)
            s = "(null)";
        size_t limit = spec->precision_given ? (size_t)spec->precision : SIZE_MAX;
        size_t n = 0;
        while (n < limit && s[n] != '\0')
            n++;
        format_put_field(sink, spec, s, n);
        break;
    }
    case 'c': {
        char c = (char)va_arg(*ap, int);
        format_put_field(sink, spec, &c, 1);
        break;
    }
    case '%':
    default:
        format_put_char(sink, '%');
        break;
    }
}

int format_vprint(void (*emit)(void *ctx, char c), void *ctx, const char *fmt, va_list ap)
{
    struct format_sink sink = {.emit = emit, .ctx = ctx, .count = 0};
    va_list args;
    /* A va_list parameter may be an array type; a local copy can be passed by address. */
    va_copy(args, ap);
    const char *p = fmt;
    while (*p != '\0') {
        if (*p != '%') {
            format_put_char(&sink, *p++);
            continue;
        }
        const char *start = p++;
        struct format_spec spec;
        format_parse_spec(&p, &spec);
        if (format_is_known_conversion(spec.conversion))
            format_convert(&sink, &spec, &args);
        else
            format_put_chars(&sink, start, (size_t)(p - start));
    }
    va_end(args);
    return (int)sink.count;
}

static void format_emit_to_buffer(void *ctx, char c)
{
    struct format_buffer *buffer = ctx;
    if (buffer->size > 0 && buffer->used < buffer->size - 1)
        buffer->buf[buffer->used] = c;
    buffer->used++;
}

int format_vsnprint(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct format_buffer buffer = {.buf = buf, .size = size, .used = 0};
    int length = format_vprint(format_emit_to_buffer, &buffer, fmt, ap);
    if (size > 0)
        buf[buffer.used < size - 1 ? buffer.used : size - 1] = '\0';
    return length;
}

int format_snprint(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int length = format_vsnprint(buf, size, fmt, ap);
    va_end(ap);
    return length;
}
