// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <string.h>
#include "text.h"

static bool utf8_continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

size_t es_text_columns(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += !utf8_continuation((unsigned char)*s);
	return n;
}

/* Bytes of the first `columns` code points of s (at most its length). */
static size_t bytes_of_columns(const char *s, size_t len, size_t columns)
{
	size_t i = 0;

	while (i < len && columns) {
		i++;
		while (i < len && utf8_continuation((unsigned char)s[i]))
			i++;
		columns--;
	}
	return i;
}

/* Length of the part of [s, s+len) that goes on a line of room columns. */
static size_t line_break(const char *s, size_t len, size_t room)
{
	size_t fit = bytes_of_columns(s, len, room), i;

	if (fit == len)
		return len;
	/* Break at the last space that keeps the line within room. */
	for (i = fit; i > 0; i--)
		if (s[i] == ' ')
			return i;
	return fit ? fit : 1;
}

void es_print_wrapped(FILE *out, const char *prefix, const char *indent,
		      const char *text)
{
	const char *lead = prefix;
	size_t len = strlen(text), n;

	do {
		size_t room = ES_COLUMNS - es_text_columns(lead);
		const char *nl = memchr(text, '\n', len);
		size_t para = nl ? (size_t)(nl - text) : len;

		n = line_break(text, para, room);
		fprintf(out, "%s%.*s\n", lead, (int)n, text);
		text += n;
		len -= n;
		if (len && (*text == ' ' || *text == '\n'))
			text++, len--;
		lead = indent;
	} while (len);
}

const char *es_fit_u64(char *buf, size_t len, uint64_t v, int width)
{
	int prec;

	if (snprintf(buf, len, "%llu", (unsigned long long)v) <= width)
		return buf;
	for (prec = width - 6; prec > 0; prec--)
		if (snprintf(buf, len, "%.*e", prec, (double)v) <= width)
			return buf;
	snprintf(buf, len, "%.0e", (double)v);
	return buf;
}

const char *es_fit_double(char *buf, size_t len, double v, int width,
			  int decimals)
{
	int prec;

	if (snprintf(buf, len, "%.*f", decimals, v) <= width)
		return buf;
	for (prec = width - 6; prec > 0; prec--)
		if (snprintf(buf, len, "%.*e", prec, v) <= width)
			return buf;
	snprintf(buf, len, "%.0e", v);
	return buf;
}

const char *es_fit_text(char *buf, size_t len, const char *s,
			size_t max_columns)
{
	size_t i, n;

	snprintf(buf, len, "%s", s);
	for (i = 0; buf[i]; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7F)
			buf[i] = '?';
	if (es_text_columns(buf) <= max_columns)
		return buf;
	n = bytes_of_columns(buf, strlen(buf), max_columns > 3 ? max_columns - 3 : 0);
	snprintf(buf + n, len - n, "...");
	return buf;
}
